/**
 * Runs the MCP calls of one model turn (or the calls a user just approved): caps them at
 * `max_tool_calls` (PRODUCT.md §8.13), asks for approval where `require_approval` says so,
 * executes the rest — concurrently unless `parallel_tool_calls:false` (§8.14) — and emits their
 * events in order. The items come with ids in their model turn; an approval request joins that
 * turn too (ADR 0014).
 */
import { McpConnectionError } from "../errors/mcp-connection-error.js";
import type { McpCallOutcome } from "../mcp/mcp-client.js";
import type { ResponseEventBody } from "./response-events.js";
import type { ResponseBuilder } from "./response-builder.js";
import type { McpApprovalRequestItem, McpCallItem } from "./response-types.js";
import type { McpServerRun, McpToolset } from "./mcp-toolset.js";
import { requiresApproval } from "./mcp-tool-policy.js";
import { newIdInTurnOf } from "./ids.js";
import { emitMcpCall, parseArguments, type PendingMcpCall } from "./emit-mcp-call.js";

export const SKIPPED_CALL_OUTPUT = "Tool call skipped: max_tool_calls reached";

export interface McpCallsOptions {
  builder: ResponseBuilder;
  mcp: McpToolset | null;
  calls: { made: number; limit: number };
  parallel: boolean;
  signal: AbortSignal;
  /** The calls were approved by the user: no approval check. */
  approved: boolean;
}

export interface McpCallsResult {
  /** Executed calls and skipped ones (the latter only in the model's context, not in `output`). */
  context: McpCallItem[];
  approvalRequested: boolean;
}

export async function* runMcpCalls(
  items: readonly McpCallItem[],
  options: McpCallsOptions,
): AsyncGenerator<ResponseEventBody, McpCallsResult> {
  const result: McpCallsResult = { context: [], approvalRequested: false };
  const { mcp } = options;
  if (!mcp || items.length === 0) return result;
  const steps: Array<
    | { kind: "call"; call: PendingMcpCall }
    | { kind: "approval"; item: McpApprovalRequestItem }
    | { kind: "skip"; item: McpCallItem }
  > = [];
  for (const item of items) {
    const server = mcp.server(item.server_label);
    if (!server) continue;
    if (options.calls.made >= options.calls.limit) {
      steps.push({
        kind: "skip",
        item: { ...item, status: "incomplete", output: SKIPPED_CALL_OUTPUT },
      });
      continue;
    }
    if (
      !options.approved &&
      requiresApproval(server.requireApproval, mcp.tool(server, item.name))
    ) {
      steps.push({
        kind: "approval",
        item: {
          type: "mcp_approval_request",
          id: newIdInTurnOf("mcpr", item.id),
          server_label: item.server_label,
          name: item.name,
          arguments: item.arguments,
        },
      });
      continue;
    }
    options.calls.made += 1;
    const run = () => callTool(mcp, server, item, options);
    if (options.parallel) {
      const started = run();
      started.catch(() => undefined);
      steps.push({ kind: "call", call: { item, outcome: () => started } });
    } else {
      steps.push({ kind: "call", call: { item, outcome: run } });
    }
  }
  for (const step of steps) {
    if (step.kind === "skip") {
      result.context.push(step.item);
    } else if (step.kind === "approval") {
      const { index, events } = options.builder.addItem(step.item);
      yield* events;
      yield* options.builder.finishItem(index, step.item);
      result.approvalRequested = true;
    } else {
      result.context.push(yield* emitMcpCall(options.builder, step.call));
    }
  }
  return result;
}

async function callTool(
  mcp: McpToolset,
  server: McpServerRun,
  item: McpCallItem,
  options: McpCallsOptions,
): Promise<McpCallOutcome> {
  const args = parseArguments(item.arguments);
  if (!args)
    return {
      ok: false,
      error: {
        type: "mcp_protocol_error",
        code: -32602,
        message: "Invalid arguments: expected a JSON object.",
      },
    };
  try {
    const lease = await mcp.lease(server, options.signal);
    return await lease.callTool(item.name, args, options.signal);
  } catch (error) {
    if (!(error instanceof McpConnectionError)) throw error;
    return {
      ok: false,
      error: { type: "http_error", code: error.status ?? 502, message: error.message },
    };
  }
}
