/**
 * Runs the scripted model as its own process for benchmarks. Prints its base URL as the first
 * stdout line. `--mcp`: the first turn calls the `add` tool, the turn after a tool result answers
 * with text (the list → model → call → model sequence of issue 4).
 */
import { startScriptedModel } from "../../test/support/scripted-model-server.js";
import type { ScriptedStep } from "../../test/support/scripted-model-server.js";

const text: ScriptedStep = { text: "Hello from the benchmark model", chunks: 4 };
const toolTurn = (body: Record<string, unknown>): ScriptedStep => {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last: unknown = messages.at(-1);
  const afterTool =
    typeof last === "object" && last !== null && "role" in last && last.role === "tool";
  return afterTool ? text : { toolCalls: [{ name: "add", arguments: '{"a":2,"b":3}' }] };
};
const model = await startScriptedModel({
  fallback: process.argv.includes("--mcp") ? toolTurn : text,
  record: false,
});
process.stdout.write(`${model.url}\n`);
process.on("SIGTERM", () => {
  void model.close().then(() => process.exit(0));
});
