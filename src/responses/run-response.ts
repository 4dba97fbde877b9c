/**
 * The one engine (STYLE.md "One path"): runs a prepared response as a sequence of OpenAI events.
 * SSE writes them as they come; JSON is the fold of the same events. The model is called in turns
 * until it answers without tools the server runs itself (PRODUCT.md §3).
 *
 * Failure contract: on an upstream failure the generator yields exactly one `response.failed`
 * (built from the output so far) and then throws the original error, so a caller that has not
 * sent anything yet can still answer with the right HTTP status. An abort throws without an event.
 */
import type {
  ChatEvent,
  ChatModel,
  ChatRequest,
  ChatTool,
  ChatToolChoice,
} from "../inference/chat-model.js";
import { toApiError } from "../errors/to-api-error.js";
import type { ResponseEventBody } from "./response-events.js";
import type { ConversationItem, FunctionCallItem, ResponseObject } from "./response-types.js";
import { ResponseBuilder } from "./response-builder.js";
import { newId } from "./ids.js";
import { toChatMessages } from "./to-chat-messages.js";

export interface PreparedResponse {
  /** The Response object as created: echo fields set, `output: []`, status `in_progress`. */
  base: ResponseObject;
  /** Everything the model sees, in order: the previous chain's items, then this request's input. */
  context: ConversationItem[];
  chatModel: ChatModel;
  /** Upstream model name and sampling options (messages and tools are added per turn). */
  chatOptions: Omit<ChatRequest, "messages" | "tools" | "toolChoice">;
  functionTools: ChatTool[];
  toolChoice: ChatToolChoice | undefined;
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
  yield { type: "response.created", response: builder.snapshot("in_progress") };
  yield { type: "response.in_progress", response: builder.snapshot("in_progress") };
  try {
    const context = [...prepared.context];
    const turn = yield* runModelTurn(prepared, builder, context, signal);
    if (turn.finishReason === "length") {
      yield builder.incomplete("max_output_tokens");
      return;
    }
    if (turn.finishReason === "content_filter") {
      yield builder.incomplete("content_filter");
      return;
    }
    yield builder.completed(deps.now());
  } catch (error) {
    if (signal.aborted) throw error;
    const apiError = toApiError(error);
    yield builder.failed({
      code: apiError.status === 429 ? "rate_limit_exceeded" : "server_error",
      message: apiError.message,
    });
    throw error;
  }
}

interface TurnResult {
  finishReason: string;
  functionCalls: FunctionCallItem[];
}

/** One model call: streams text into a message item, then emits the model's tool calls. */
async function* runModelTurn(
  prepared: PreparedResponse,
  builder: ResponseBuilder,
  context: ConversationItem[],
  signal: AbortSignal,
): AsyncGenerator<ResponseEventBody, TurnResult> {
  const request: ChatRequest = {
    ...prepared.chatOptions,
    messages: toChatMessages(
      prepared.base.instructions,
      context,
      (label, name) => `${label}__${name}`,
    ),
    ...(prepared.functionTools.length > 0 ? { tools: prepared.functionTools } : {}),
    ...(prepared.toolChoice !== undefined && prepared.functionTools.length > 0
      ? { toolChoice: prepared.toolChoice }
      : {}),
  };
  const toolCalls: Array<Extract<ChatEvent, { type: "tool_call" }>> = [];
  let finishReason = "stop";
  for await (const event of prepared.chatModel.stream(request, signal)) {
    switch (event.type) {
      case "text":
        if (event.delta) yield* builder.appendText("output_text", event.delta);
        break;
      case "refusal":
        if (event.delta) yield* builder.appendText("refusal", event.delta);
        break;
      case "tool_call":
        toolCalls.push(event);
        break;
      case "finish":
        builder.addUsage(event.usage);
        finishReason = event.finishReason;
        break;
    }
  }
  yield* builder.closeMessage(finishReason === "length" ? "incomplete" : "completed");

  const functionCalls: FunctionCallItem[] = [];
  for (const call of toolCalls) {
    const item: FunctionCallItem = {
      type: "function_call",
      id: newId("fc"),
      call_id: call.id,
      name: call.name,
      arguments: "",
      status: "in_progress",
    };
    const { index, events } = builder.addItem(item);
    yield* events;
    const ref = { item_id: item.id, output_index: index };
    if (call.arguments)
      yield { type: "response.function_call_arguments.delta", ...ref, delta: call.arguments };
    yield { type: "response.function_call_arguments.done", ...ref, arguments: call.arguments };
    const done: FunctionCallItem = { ...item, arguments: call.arguments, status: "completed" };
    yield* builder.finishItem(index, done);
    functionCalls.push(done);
    context.push(done);
  }
  return { finishReason, functionCalls };
}
