/**
 * The scripted model's one rule for conformance runs: a turn that offers tools and has no tool
 * result yet calls every offered tool once, with arguments made from each tool's input schema
 * (every property, numbers counting up from 2, so `add_numbers` gets `{ a: 2, b: 3 }`); a turn
 * after tool results answers with text. Scenario servers only record what the client under test
 * does, so the model must call their tools for Patchbay's MCP client to be exercised. One tool asks
 * for more: `json_schema_echo` (json-schema-2020-12-preservation) wants the input schema of the
 * other tool offered back as its `schema` argument, as the model was given it, which shows
 * whether Patchbay kept every JSON Schema keyword on its way from the server to the model. And a
 * scenario that names its calls (`http-custom-headers`: exact values, nulls included) gets them:
 * the driver puts the scenario's context in the input after `CALLS_PREFIX`.
 */
import type { ScriptedStep, ScriptedToolCall } from "../test/support/scripted-model-server.js";

export const CALLS_PREFIX = "Scenario context: ";

export function toolCallingModel(body: Record<string, unknown>): ScriptedStep {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const answered = messages.some((message) => isRecord(message) && message.role === "tool");
  const tools = Array.isArray(body.tools) ? body.tools : [];
  if (answered || tools.length === 0) return { text: "done" };
  const named = namedCalls(messages);
  if (named.length > 0) return { toolCalls: named };
  return { toolCalls: tools.flatMap((tool) => toToolCall(tool, tools)) };
}

/** The calls the scenario's context names, if the user's input carries one. */
function namedCalls(messages: unknown[]): ScriptedToolCall[] {
  const input = messages.find((message) => isRecord(message) && message.role === "user");
  const text = isRecord(input) && typeof input.content === "string" ? input.content : "";
  const at = text.indexOf(CALLS_PREFIX);
  if (at < 0) return [];
  const context: unknown = JSON.parse(text.slice(at + CALLS_PREFIX.length));
  const calls = isRecord(context) && Array.isArray(context.toolCalls) ? context.toolCalls : [];
  return calls.flatMap((call) =>
    isRecord(call) && typeof call.name === "string"
      ? [{ name: call.name, arguments: JSON.stringify(call.arguments ?? {}) }]
      : [],
  );
}

const SCHEMA_ECHO = "json_schema_echo";

function toToolCall(tool: unknown, offered: unknown[]): ScriptedToolCall[] {
  if (!isRecord(tool) || !isRecord(tool.function) || typeof tool.function.name !== "string") {
    return [];
  }
  if (tool.function.name === SCHEMA_ECHO) {
    const other = offered.find(
      (candidate) =>
        isRecord(candidate) &&
        isRecord(candidate.function) &&
        candidate.function.name !== SCHEMA_ECHO,
    );
    const schema = isRecord(other) && isRecord(other.function) ? other.function.parameters : {};
    return [{ name: SCHEMA_ECHO, arguments: JSON.stringify({ schema }) }];
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
