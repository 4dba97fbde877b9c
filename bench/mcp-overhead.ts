/**
 * Added latency of one MCP-tool response through Patchbay (issue 4): the same
 * tools/list → model → tools/call → model sequence done directly in-process with the MCP SDK
 * client and fetch, versus one `POST /v1/responses` with an `mcp` tool. Same model and MCP
 * processes, same closed-loop generator, interleaved rounds, concurrency 32.
 *
 *   npm run bench -- mcp-overhead [--seconds 5] [--rounds 2] [--connections 32]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { benchArgs, compare } from "./support/compare.js";
import { startPatchbayProcess, startProcess } from "./support/processes.js";

const args = benchArgs();
const { connections } = args;
const home = await mkdtemp(join(tmpdir(), "patchbay-bench-"));
const model = await startProcess("bench/support/model-process.ts", ["--mcp"], {}, /^http:/);
const mcp = await startProcess("bench/support/mcp-process.ts", [], {}, /^http:/);
const modelUrl = model.line.trim();
const mcpUrl = mcp.line.trim();
const patchbay = await startPatchbayProcess(modelUrl, home);
const patchbayUrl = `${patchbay.url}/v1/responses`;

/** The direct path: one MCP session per worker (as Patchbay pools them), tools listed per request. */
const sessions = await Promise.all(
  Array.from({ length: connections }, async () => {
    const client = new Client({ name: "bench", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
    return client;
  }),
);
let next = 0;
async function chat(messages: unknown[], tools?: unknown[]): Promise<Record<string, unknown>> {
  const response = await fetch(`${modelUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "bench", messages, ...(tools ? { tools } : {}), stream: false }),
  });
  return (await response.json()) as Record<string, unknown>;
}
async function direct(): Promise<void> {
  const client = sessions[next++ % sessions.length]!;
  const { tools } = await client.listTools();
  const functions = tools.map((tool) => ({
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  }));
  const messages: unknown[] = [{ role: "user", content: "add 2 and 3" }];
  const first = (await chat(messages, functions)) as {
    choices: Array<{
      message: { tool_calls: Array<{ id: string; function: { name: string; arguments: string } }> };
    }>;
  };
  const call = first.choices[0]!.message.tool_calls[0]!;
  const result = await client.callTool({
    name: call.function.name,
    arguments: JSON.parse(call.function.arguments) as Record<string, unknown>,
  });
  messages.push(
    { role: "assistant", content: null, tool_calls: [call] },
    { role: "tool", tool_call_id: call.id, content: JSON.stringify(result.content) },
  );
  await chat(messages, functions);
}
const body = JSON.stringify({
  model: "bench",
  input: "add 2 and 3",
  tools: [{ type: "mcp", server_label: "bench", server_url: mcpUrl, require_approval: "never" }],
});
async function through(): Promise<void> {
  const response = await fetch(patchbayUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const json = (await response.json()) as { status?: string };
  if (json.status !== "completed")
    throw new Error(`response ${JSON.stringify(json).slice(0, 200)}`);
}

await compare(
  "one MCP-tool response (list → model → call → model)",
  { name: "direct, in-process", task: direct },
  { name: "through Patchbay", task: through },
  args,
  "p50 ≤ +1 ms, p99 ≤ +5 ms",
);
await Promise.all(sessions.map((client) => client.close()));
await patchbay.stop();
await mcp.stop();
await model.stop();
await rm(home, { recursive: true, force: true });
