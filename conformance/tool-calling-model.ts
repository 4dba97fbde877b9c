/**
 * The scripted model's one rule for conformance runs: a turn that offers tools and has no tool
 * result yet calls every offered tool once, with arguments made from each tool's input schema
 * (every property, numbers counting up from 2, so `add_numbers` gets `{ a: 2, b: 3 }`); a turn
 * after tool results answers with text. Scenario servers only record what the client under test
 * does, so the model must call their tools for Patchbay's MCP client to be exercised.
 */
import type { ScriptedStep, ScriptedToolCall } from "../test/support/scripted-model-server.js";

export function toolCallingModel(body: Record<string, unknown>): ScriptedStep {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const answered = messages.some((message) => isRecord(message) && message.role === "tool");
  const tools = Array.isArray(body.tools) ? body.tools : [];
  if (answered || tools.length === 0) return { text: "done" };
  return { toolCalls: tools.flatMap(toToolCall) };
}

function toToolCall(tool: unknown): ScriptedToolCall[] {
  if (!isRecord(tool) || !isRecord(tool.function) || typeof tool.function.name !== "string") {
    return [];
  }
  const schema = tool.function.parameters;
  const properties = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
  let counter = 2;
  const argumentsObject = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => {
      const type = isRecord(property) ? property.type : undefined;
      if (type === "number" || type === "integer") return [name, counter++];
      if (type === "boolean") return [name, true];
      return [name, name];
    }),
  );
  return [{ name: tool.function.name, arguments: JSON.stringify(argumentsObject) }];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
