/**
 * The inference port: what the Responses engine needs from a model server. One streaming shape
 * serves both upstream modes (SSE chunks and a single JSON completion), so the engine has one path
 * (STYLE.md "One path"). Adapters: `OpenAIChatModel` (any OpenAI-compatible Chat Completions server).
 */

/**
 * A Chat Completions message as sent upstream (OpenAI wire spelling). An assistant message's
 * `reasoning` is the turn's reasoning text: the adapter writes it under the name its server reads
 * (`ReasoningField`), or leaves it out when it does not know one.
 */
export type ChatMessage =
  | { role: "system" | "developer"; content: string }
  | { role: "user"; content: string | ChatContentPart[] }
  | { role: "assistant"; content: string | null; tool_calls?: ChatToolCall[]; reasoning?: string }
  | { role: "tool"; tool_call_id: string; content: string };

/** The two names servers give reasoning text, on a stream `delta` and on a message. */
export type ReasoningField = "reasoning_content" | "reasoning";

export type ChatContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: string } };

export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** A function the model may call (Chat Completions `tools[]` element). */
export interface ChatTool {
  type: "function";
  function: {
    name: string;
    description?: string;
    parameters: Record<string, unknown>;
    strict?: boolean;
  };
}

export type ChatToolChoice =
  "none" | "auto" | "required" | { type: "function"; function: { name: string } };

export interface ChatRequest {
  /** Model name as the upstream knows it (provider prefix already removed). */
  model: string;
  messages: ChatMessage[];
  tools?: ChatTool[];
  toolChoice?: ChatToolChoice;
  parallelToolCalls?: boolean;
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  user?: string;
  /** Chat Completions `response_format`, mapped from Responses `text.format`. */
  responseFormat?: Record<string, unknown>;
}

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
}

export type ChatFinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "other";

/**
 * What a model turn yields, in order: `reasoning` and `text` deltas as they arrive (reasoning
 * first, in practice), then completed `tool_call`s (arguments assembled across chunks), then
 * exactly one `finish`.
 */
export type ChatEvent =
  | { type: "reasoning"; delta: string }
  | { type: "text"; delta: string }
  | { type: "refusal"; delta: string }
  | { type: "tool_call"; id: string; name: string; arguments: string }
  | {
      type: "finish";
      finishReason: ChatFinishReason;
      usage: ChatUsage | null;
      model: string | null;
    };

export interface ChatModel {
  /**
   * Runs one model turn. Throws `UpstreamModelError` for upstream failures (before or during the
   * stream) and stops promptly when `signal` aborts (the upstream request is aborted too).
   */
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatEvent>;
}
