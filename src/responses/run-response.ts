/**
 * The one engine (STYLE.md "One path"): runs a prepared response as a sequence of OpenAI events.
 * SSE writes them as they come; JSON is the fold of the same events. The model is called in turns
 * until it answers without MCP calls to run (PRODUCT.md §3; reference §3.3, §5.1–§5.2).
 *
 * Failure contract: on an upstream failure the generator closes the item the model was writing
 * (`incomplete`, with its text so far), yields exactly one `response.failed` (built from the
 * output so far) and then throws the original error, so a caller that has not sent anything yet
 * can still answer with the right HTTP status. An abort throws without an event,
 * except a shutdown abort, which ends the response with `response.failed` like any failure.
 */
import type { ChatModel, ChatRequest, ChatTool, ChatToolChoice } from "../inference/chat-model.js";
import { ShutdownError } from "../errors/shutdown-error.js";
import type { ResponseEventBody } from "./response-events.js";
import type {
  ConversationItem,
  McpApprovalRequestItem,
  McpCallItem,
  ResponseObject,
} from "./response-types.js";
import { ResponseBuilder } from "./response-builder.js";
import type { McpToolset } from "./mcp-toolset.js";
import { runModelTurn, type ModelToolCall } from "./run-model-turn.js";
import { runMcpCalls } from "./run-mcp-calls.js";
import { toResponseError } from "./to-response-error.js";
import { newId, newIdInTurnOf } from "./ids.js";

/** A guard against a model that never stops calling tools. */
const MAX_MODEL_TURNS = 32;

export interface PreparedResponse {
  /** The Response object as created: echo fields set, `output: []`, status `in_progress`. */
  base: ResponseObject;
  /** Everything the model sees, in order: the previous chain's items, then this request's input. */
  context: ConversationItem[];
  chatModel: ChatModel;
  /** Upstream model name and sampling options (messages and tools are added per turn). */
  chatOptions: Omit<ChatRequest, "messages" | "tools" | "toolChoice">;
  functionTools: ChatTool[];
  /** Applies to the first model turn; later turns (after MCP results) use `auto`. */
  toolChoice: ChatToolChoice | undefined;
  /** When `tool_choice` forces one MCP server, only its tools are offered on the first turn. */
  onlyServerLabel: string | undefined;
  mcp: McpToolset | null;
  /** The approval requests this request approved (and whose calls have not run): run first. */
  approved: McpApprovalRequestItem[];
}

export interface RunResponseDeps {
  /** Unix seconds, injectable for tests. */
  now: () => number;
}

export async function* runResponse(
  prepared: PreparedResponse,
  deps: RunResponseDeps,
  signal: AbortSignal,
): AsyncGenerator<ResponseEventBody> {
  const builder = new ResponseBuilder(prepared.base);
  const mcp = prepared.mcp;
  yield { type: "response.created", response: builder.snapshot("in_progress") };
  yield { type: "response.in_progress", response: builder.snapshot("in_progress") };
  try {
    const context = [...prepared.context];
    const calls = { made: 0, limit: prepared.base.max_tool_calls ?? Number.POSITIVE_INFINITY };
    const parallel = prepared.base.parallel_tool_calls;
    const callOptions = { builder, mcp, calls, parallel, signal };
    if (mcp) {
      for (const server of mcp.servers) {
        if (!server.listing) continue;
        const { index, events } = builder.addItem({ ...server.listing, tools: [] });
        yield* events;
        yield {
          type: "response.mcp_list_tools.in_progress",
          item_id: server.listing.id,
          output_index: index,
        };
        yield {
          type: "response.mcp_list_tools.completed",
          item_id: server.listing.id,
          output_index: index,
        };
        yield* builder.finishItem(index, server.listing);
        context.push(server.listing);
      }
      // An approved call belongs to the model turn that asked for it: it takes its request's token.
      const approved = prepared.approved.map((request) =>
        newCall(newIdInTurnOf("mcp", request.id), request, request.id),
      );
      const executed = yield* runMcpCalls(approved, { ...callOptions, approved: true });
      context.push(...executed.context);
    }

    for (let turn = 0; turn < MAX_MODEL_TURNS; turn++) {
      const first = turn === 0;
      const tools = [
        ...prepared.functionTools,
        ...(mcp?.chatTools(first ? prepared.onlyServerLabel : undefined) ?? []),
      ];
      const toolChoice = first ? prepared.toolChoice : "auto";
      const result = yield* runModelTurn(
        {
          ...prepared.chatOptions,
          ...(tools.length > 0 ? { tools } : {}),
          ...(tools.length > 0 && toolChoice !== undefined ? { toolChoice } : {}),
        },
        {
          builder,
          context,
          chatModel: prepared.chatModel,
          instructions: prepared.base.instructions,
          mcp,
          signal,
        },
      );
      if (result.finishReason === "length" || result.finishReason === "content_filter") {
        yield builder.incomplete(
          result.finishReason === "length" ? "max_output_tokens" : "content_filter",
        );
        return;
      }
      const mcpCalls = mcp ? result.toolCalls.filter((call) => mcp.names.target(call.name)) : [];
      const clientCalls = result.toolCalls.filter((call) => !mcpCalls.includes(call));
      const outcome = yield* runMcpCalls(toMcpCallItems(mcpCalls, mcp, result.turnToken), {
        ...callOptions,
        approved: false,
      });
      context.push(...outcome.context);
      yield* emitFunctionCalls(builder, clientCalls, context);
      if (clientCalls.length > 0 || outcome.approvalRequested || outcome.context.length === 0)
        break;
    }
    yield builder.completed(deps.now());
  } catch (error) {
    if (signal.aborted && !(signal.reason instanceof ShutdownError)) throw error;
    yield* builder.closeOpen("incomplete");
    yield builder.failed(toResponseError(signal.aborted ? signal.reason : error));
    throw error;
  } finally {
    await mcp?.releaseAll();
  }
}

function toMcpCallItems(
  calls: readonly ModelToolCall[],
  mcp: McpToolset | null,
  turnToken: string,
): McpCallItem[] {
  return calls.flatMap((call) => {
    const target = mcp?.names.target(call.name);
    if (!target) return [];
    const wanted = {
      server_label: target.serverLabel,
      name: target.toolName,
      arguments: call.arguments,
    };
    return [newCall(newId("mcp", turnToken), wanted, null)];
  });
}

function newCall(
  id: string,
  call: { server_label: string; name: string; arguments: string },
  approvalRequestId: string | null,
): McpCallItem {
  return {
    type: "mcp_call",
    id,
    server_label: call.server_label,
    name: call.name,
    arguments: call.arguments,
    output: null,
    error: null,
    status: "in_progress",
    approval_request_id: approvalRequestId,
  };
}

function* emitFunctionCalls(
  builder: ResponseBuilder,
  calls: readonly ModelToolCall[],
  context: ConversationItem[],
): Generator<ResponseEventBody> {
  for (const call of calls) {
    const item = {
      type: "function_call" as const,
      id: call.itemId,
      call_id: call.id,
      name: call.name,
      arguments: "",
      status: "in_progress" as const,
    };
    const { index, events } = builder.addItem(item);
    yield* events;
    const ref = { item_id: item.id, output_index: index };
    if (call.arguments)
      yield { type: "response.function_call_arguments.delta", ...ref, delta: call.arguments };
    yield { type: "response.function_call_arguments.done", ...ref, arguments: call.arguments };
    const done = { ...item, arguments: call.arguments, status: "completed" as const };
    yield* builder.finishItem(index, done);
    context.push(done);
  }
}
