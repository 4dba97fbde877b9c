import { createParser } from "eventsource-parser";
import {
  ChatCompletionChunkSchema,
  ChatCompletionSchema,
  upstreamErrorMessage,
  type ChatCompletion,
  type ChatCompletionChunk,
} from "./chat-chunk-schema.js";
import type {
  ChatEvent,
  ChatMessage,
  ChatModel,
  ChatRequest,
  ReasoningField,
} from "./chat-model.js";
import { completionEvents, protocolError, TurnState } from "./chat-turn.js";
import { UpstreamCall } from "./upstream-call.js";
import { JsonPoster, type PostedResponse } from "./post-json.js";
import { UpstreamModelError } from "../errors/upstream-model-error.js";
import { withoutCredentials } from "../lib/without-credentials.js";
import type { InferenceLimitsConfig } from "../config/patchbay-config.js";
import { DEFAULT_INFERENCE_LIMITS } from "../config/resolve-config.js";
import { SseEventMeter } from "../lib/sse-event-meter.js";

export interface OpenAIChatModelOptions {
  /** Base URL ending before `/chat/completions`, e.g. `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  apiKey?: string | null;
  /** Longest wait for upstream: the response headers, then each complete SSE event. */
  timeoutMs: number;
  /** What the server's answers may hold (`server.inference.*`). Default `DEFAULT_INFERENCE_LIMITS`. */
  limits?: InferenceLimitsConfig;
}

const MAX_ERROR_TEXT = 500;
/** An error body is read this far for its message; the rest is dropped with the connection. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const DRAIN_MS = 50;

/**
 * The `ChatModel` adapter for any OpenAI-compatible Chat Completions server (OpenAI, vLLM, Ollama,
 * llama.cpp…), PRODUCT.md §2 "Inference". Always asks for SSE with usage; also accepts a plain
 * JSON completion, so both upstream modes produce the same event sequence. Failures become
 * `UpstreamModelError`s classified as §8.15 needs them (http / timeout / connection / protocol).
 *
 * Reasoning goes back to the server under the name the server itself sent it under (ADR 0020):
 * servers read the name they write, and a server that has none rejects an unknown message key.
 * Until the server has sent reasoning, none is sent to it.
 */
export class OpenAIChatModel implements ChatModel {
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #limits: InferenceLimitsConfig;
  readonly #poster: JsonPoster;
  readonly #modelServer: string;
  /** The name this server gives reasoning text, learned from its answers. */
  #reasoningField: ReasoningField | null = null;

  constructor(options: OpenAIChatModelOptions) {
    this.#headers = {
      "content-type": "application/json",
      accept: "text/event-stream, application/json",
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    };
    this.#timeoutMs = options.timeoutMs;
    this.#modelServer = withoutCredentials(options.baseUrl);
    this.#limits = options.limits ?? DEFAULT_INFERENCE_LIMITS;
    this.#poster = new JsonPoster(
      new URL(`${options.baseUrl.replace(/\/+$/, "")}/chat/completions`),
    );
  }

  async *stream(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatEvent> {
    const call = new UpstreamCall(signal, this.#timeoutMs, this.#modelServer);
    const turn = new TurnState();
    try {
      const body = toChatCompletionBody(request, this.#reasoningField);
      const response = await call.guard("connect", () =>
        this.#poster.post(this.#headers, JSON.stringify(body), call.signal),
      );
      if (response.status < 200 || response.status > 299) throw await httpError(response, call);
      const contentType = response.header("content-type") ?? "";
      if (contentType.includes("application/json")) {
        const maxBytes = this.#limits.maxResponseBytes;
        const answer = await call.guard("read", () => response.text(maxBytes));
        if (answer.truncated)
          throw protocolError(
            `Model server response is larger than server.inference.max_response_bytes (${maxBytes} bytes).`,
          );
        yield* completionEvents(parseCompletion(answer.text), turn);
      } else {
        const maxEventBytes = this.#limits.maxEventBytes;
        yield* streamEvents(response.chunks, call, this.#timeoutMs, maxEventBytes, turn);
      }
    } finally {
      call.dispose();
      this.#reasoningField = turn.reasoningField ?? this.#reasoningField;
    }
  }
}

/**
 * `ChatRequest` → Chat Completions wire body. `max_tokens` rather than `max_completion_tokens`
 * because vLLM, Ollama and llama.cpp all accept it; tool settings only travel with tools, since
 * several servers reject `tool_choice`/`parallel_tool_calls` without `tools`. Assistant reasoning
 * is written under `reasoningField`, or dropped when it is null.
 */
export function toChatCompletionBody(
  request: ChatRequest,
  reasoningField: ReasoningField | null = null,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    messages: request.messages.map((message) => withReasoningAs(message, reasoningField)),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools;
    if (request.toolChoice !== undefined) body.tool_choice = request.toolChoice;
    if (request.parallelToolCalls !== undefined) {
      body.parallel_tool_calls = request.parallelToolCalls;
    }
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  if (request.user !== undefined) body.user = request.user;
  if (request.responseFormat !== undefined) body.response_format = request.responseFormat;
  return body;
}

function withReasoningAs(
  message: ChatMessage,
  field: ReasoningField | null,
): ChatMessage | Record<string, unknown> {
  if (message.role !== "assistant" || message.reasoning === undefined || field === "reasoning")
    return message;
  const { reasoning, ...rest } = message;
  return field === null ? rest : { ...rest, [field]: reasoning };
}

/**
 * The turn's events from an SSE body. Each event is bounded in bytes (`maxEventBytes`: the parser
 * buffers a partial event whole) and in time: the watchdog spans the wait for one complete event
 * (a keep-alive comment counts), so a server dripping an event a byte at a time stalls it as
 * surely as one sending nothing.
 */
async function* streamEvents(
  chunks: AsyncIterator<Buffer, undefined>,
  call: UpstreamCall,
  timeoutMs: number,
  maxEventBytes: number,
  turn: TurnState,
): AsyncGenerator<ChatEvent> {
  const decoder = new TextDecoder();
  const payloads: string[] = [];
  const parser = createParser({ onEvent: (event) => payloads.push(event.data) });
  const meter = new SseEventMeter();
  let sawDone = false;
  /** Time spent waiting for the event not yet complete. */
  let waitedMs = 0;
  while (!sawDone) {
    const waitStart = performance.now();
    const { done, value } = await call.guard("read", () => chunks.next(), timeoutMs - waitedMs);
    if (!done) {
      const before = meter.pending;
      const pending = meter.add(value);
      if (pending > maxEventBytes)
        throw protocolError(
          `Model server sent an SSE event larger than server.inference.max_event_bytes (${maxEventBytes} bytes).`,
        );
      const eventEnded = pending < before + value.byteLength;
      waitedMs = eventEnded ? 0 : waitedMs + (performance.now() - waitStart);
    }
    parser.feed(done ? decoder.decode() : decoder.decode(value, { stream: true }));
    if (done) parser.reset({ consume: true });
    for (const data of payloads.splice(0)) {
      if (data.trim() === "[DONE]") {
        sawDone = true;
        break;
      }
      yield* turn.apply(parseChunk(data));
    }
    if (done) break;
  }
  if (sawDone) await drain(chunks);
  if (!sawDone && turn.finishReason === null) {
    throw protocolError("Model server stream ended unexpectedly (no [DONE], no finish_reason).");
  }
  yield* turn.end();
}

/**
 * Reads past `[DONE]` to the end of the body so the keep-alive connection can be reused. Best
 * effort and brief: a server that keeps the stream open after `[DONE]` just loses the connection
 * (the exchange is destroyed on dispose), never the turn.
 */
async function drain(chunks: AsyncIterator<Buffer, undefined>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), DRAIN_MS);
  });
  try {
    for (;;) {
      const next = await Promise.race([chunks.next(), giveUp]);
      if (next === "timeout" || next.done) return;
    }
  } catch {
    return;
  } finally {
    clearTimeout(timer);
  }
}

function parseChunk(data: string): ChatCompletionChunk {
  const parsed = ChatCompletionChunkSchema.safeParse(parseJson(data, "stream chunk"));
  if (!parsed.success)
    throw protocolError("Model server sent a malformed stream chunk.", parsed.error);
  return parsed.data;
}

function parseCompletion(text: string): ChatCompletion {
  const json = parseJson(text, "completion");
  const failure = upstreamErrorMessage(json);
  if (failure !== null) throw protocolError(`Model server reported an error: ${failure}`);
  const parsed = ChatCompletionSchema.safeParse(json);
  if (!parsed.success)
    throw protocolError("Model server sent a malformed completion.", parsed.error);
  return parsed.data;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw protocolError(`Model server sent an invalid JSON ${what}: ${truncate(text)}`, error);
  }
}

/** A non-2xx answer, keeping upstream's own message (a 400 reaches the client with it, §8.15). */
async function httpError(
  response: PostedResponse,
  call: UpstreamCall,
): Promise<UpstreamModelError> {
  const text = await call
    .guard("read", async () => (await response.text(MAX_ERROR_BODY_BYTES)).text)
    .catch((error: unknown) => {
      if (error instanceof UpstreamModelError) return "";
      throw error;
    });
  return new UpstreamModelError(
    errorDetail(text) ?? `Model server returned HTTP ${response.status}.`,
    {
      kind: "http",
      status: response.status,
      retryAfter: response.header("retry-after"),
    },
  );
}

/** Upstream's message from an error body: `{error:{message}}` and kin, else the text itself. */
function errorDetail(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  try {
    const message = upstreamErrorMessage(JSON.parse(trimmed));
    if (message) return truncate(message);
  } catch {
    // Not JSON: the text itself is the message.
  }
  return truncate(trimmed);
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}
