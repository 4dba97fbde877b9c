import type { ChatCompletion, ChatCompletionChunk, ChatUsageWire } from "./chat-chunk-schema.js";
import { errorBodyMessage } from "./chat-chunk-schema.js";
import type { ChatEvent, ChatFinishReason, ChatUsage, ReasoningField } from "./chat-model.js";
import { ToolCallAssembler } from "./tool-call-assembler.js";
import { UpstreamModelError } from "../errors/upstream-model-error.js";

/*
 * One model turn from Chat Completions wire data to `ChatEvent`s, for both upstream modes: the
 * state a streamed turn accumulates, and the events of a whole JSON completion.
 */

/** What one streamed turn has accumulated besides the text already passed on. */
export class TurnState {
  readonly toolCalls = new ToolCallAssembler();
  finishReason: string | null = null;
  usage: ChatUsageWire | null = null;
  model: string | null = null;
  /** The name the server gave its reasoning text, once it has sent some. */
  reasoningField: ReasoningField | null = null;

  *apply(chunk: ChatCompletionChunk): Generator<ChatEvent> {
    const failure = errorBodyMessage(chunk);
    if (failure !== null) throw protocolError(`Model server reported an error: ${failure}`);
    this.model ??= chunk.model ?? null;
    if (chunk.usage) this.usage = chunk.usage;
    for (const choice of chunk.choices ?? []) {
      if ((choice.index ?? 0) !== 0) continue;
      const delta = choice.delta;
      if (delta) yield* this.reasoning(delta);
      if (delta?.content) yield { type: "text", delta: delta.content };
      if (delta?.refusal) yield { type: "refusal", delta: delta.refusal };
      for (const toolCall of delta?.tool_calls ?? []) this.toolCalls.add(toolCall);
      if (delta?.function_call) this.toolCalls.add({ index: 0, function: delta.function_call });
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  /**
   * The reasoning in a delta or message. A server that sends both names at once (vLLM while it
   * renamed `reasoning_content` to `reasoning`) sends the same text twice: it is read once, from
   * `reasoning`, the name such a server reads back.
   */
  *reasoning(parts: {
    reasoning_content?: string | null | undefined;
    reasoning?: string | null | undefined;
  }): Generator<ChatEvent> {
    const field: ReasoningField | null = parts.reasoning
      ? "reasoning"
      : parts.reasoning_content
        ? "reasoning_content"
        : null;
    if (field === null) return;
    this.reasoningField = field;
    yield { type: "reasoning", delta: parts[field] ?? "" };
  }

  *end(): Generator<ChatEvent> {
    for (const toolCall of this.toolCalls.finish()) yield { type: "tool_call", ...toolCall };
    yield {
      type: "finish",
      finishReason: toFinishReason(this.finishReason, this.toolCalls.size > 0),
      usage: this.usage ? toChatUsage(this.usage) : null,
      model: this.model,
    };
  }
}

/** The events of a whole JSON completion, accumulated in `turn` like a streamed one. */
export function* completionEvents(
  completion: ChatCompletion,
  turn = new TurnState(),
): Generator<ChatEvent> {
  turn.model = completion.model ?? null;
  turn.usage = completion.usage ?? null;
  const choice = completion.choices.find((candidate) => (candidate.index ?? 0) === 0);
  const message = choice?.message;
  if (message) yield* turn.reasoning(message);
  if (message?.content) yield { type: "text", delta: message.content };
  if (message?.refusal) yield { type: "refusal", delta: message.refusal };
  (message?.tool_calls ?? []).forEach((toolCall, index) =>
    turn.toolCalls.add({ ...toolCall, index: toolCall.index ?? index }),
  );
  if (message?.function_call) turn.toolCalls.add({ index: 0, function: message.function_call });
  turn.finishReason = choice?.finish_reason ?? null;
  yield* turn.end();
}

/** Wire `finish_reason` → ours. Absent (some servers omit it) → inferred from the tool calls. */
function toFinishReason(wire: string | null, hasToolCalls: boolean): ChatFinishReason {
  switch (wire) {
    case null:
      return hasToolCalls ? "tool_calls" : "stop";
    case "stop":
    case "length":
    case "tool_calls":
    case "content_filter":
      return wire;
    case "function_call":
      return "tool_calls";
    default:
      return "other";
  }
}

function toChatUsage(usage: ChatUsageWire): ChatUsage {
  const inputTokens = usage.prompt_tokens ?? 0;
  const outputTokens = usage.completion_tokens ?? 0;
  return {
    inputTokens,
    outputTokens,
    totalTokens: usage.total_tokens ?? inputTokens + outputTokens,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

export function protocolError(message: string, cause?: unknown): UpstreamModelError {
  return new UpstreamModelError(message, { kind: "protocol", cause });
}
