/**
 * Executes one MCP tool call as OpenAI streams it (reference §3.3): `output_item.added` with empty
 * arguments, `mcp_call.in_progress`, the arguments, then `mcp_call.completed|failed` and the final
 * item. A failed call is model input, not an HTTP error (STYLE.md "Errors").
 */
import { z } from "zod";
import type { McpCallOutcome } from "../mcp/mcp-client.js";
import type { ResponseEventBody } from "./response-events.js";
import type { ResponseBuilder } from "./response-builder.js";
import type { McpCallItem } from "./response-types.js";

export interface PendingMcpCall {
  item: McpCallItem;
  /** Started by the caller (possibly in parallel with other calls); awaited here in order. */
  outcome: () => Promise<McpCallOutcome>;
}

export async function* emitMcpCall(
  builder: ResponseBuilder,
  call: PendingMcpCall,
): AsyncGenerator<ResponseEventBody, McpCallItem> {
  const announced: McpCallItem = {
    ...call.item,
    arguments: "",
    status: "in_progress",
    output: null,
    error: null,
  };
  const { index, events } = builder.addItem(announced);
  yield* events;
  const ref = { item_id: call.item.id, output_index: index };
  yield { type: "response.mcp_call.in_progress", ...ref };
  yield { type: "response.mcp_call_arguments.delta", ...ref, delta: call.item.arguments };
  yield { type: "response.mcp_call_arguments.done", ...ref, arguments: call.item.arguments };
  const outcome = await call.outcome();
  const done: McpCallItem = outcome.ok
    ? { ...call.item, status: "completed", output: outcome.output, error: null }
    : { ...call.item, status: "failed", output: null, error: outcome.error };
  yield { type: outcome.ok ? "response.mcp_call.completed" : "response.mcp_call.failed", ...ref };
  yield* builder.finishItem(index, done);
  return done;
}

const ArgumentsSchema = z.record(z.string(), z.unknown());

/** Parses the model's arguments; invalid JSON becomes a structured error the model can read. */
export function parseArguments(text: string): Record<string, unknown> | null {
  if (text.trim() === "") return {};
  try {
    const parsed = ArgumentsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
