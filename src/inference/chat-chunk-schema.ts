import { z } from "zod";

/**
 * Tolerant readers of what OpenAI-compatible model servers send (STYLE.md "Validation: strict at
 * our door, tolerant of others"). vLLM, Ollama, llama.cpp and OpenAI each omit or null different
 * fields, so everything is loose and `.nullish()`; only the fields Patchbay uses are declared.
 * Parsed once in `OpenAIChatModel` (PRODUCT.md §2 "Inference").
 */

/** `function` of a tool call; some servers send `arguments` as an object rather than a JSON string. */
const FunctionCallSchema = z.looseObject({
  name: z.string().nullish(),
  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
});

/** One `tool_calls[]` element: a streamed fragment, or a whole call (JSON completions, Ollama). */
export const ToolCallDeltaSchema = z.looseObject({
  index: z.number().int().nonnegative().nullish(),
  id: z.string().nullish(),
  function: FunctionCallSchema.nullish(),
});
export type ToolCallDelta = z.infer<typeof ToolCallDeltaSchema>;

export const ChatUsageWireSchema = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  total_tokens: z.number().nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
});
export type ChatUsageWire = z.infer<typeof ChatUsageWireSchema>;

/**
 * Reasoning text as servers spell it: `reasoning_content` (llama.cpp, DeepSeek, vLLM before its
 * rename) or `reasoning` (Ollama, OpenRouter, vLLM after it). `.catch` keeps a server that puts
 * something else under the name (OpenRouter's `reasoning_details` sit beside it) from failing the
 * chunk: such a value is no reasoning text.
 */
const ReasoningTextSchema = z.string().nullish().catch(null);

/** The parts of an assistant turn shared by a stream `delta` and a completion `message`. */
const AssistantPartsShape = {
  content: z.string().nullish(),
  refusal: z.string().nullish(),
  reasoning_content: ReasoningTextSchema,
  reasoning: ReasoningTextSchema,
  tool_calls: z.array(ToolCallDeltaSchema).nullish(),
  /** Legacy single function call (pre-`tools` servers). */
  function_call: FunctionCallSchema.nullish(),
};

/**
 * An error object as servers spell it: `{error:{message}}` (OpenAI, llama.cpp, Ollama `/v1`),
 * `{error:"…"}` (Ollama native), `{object:"error", message}` (older vLLM), `{detail:"…"}` (FastAPI).
 * `.catch` keeps an odd field from hiding the others.
 */
export const UpstreamErrorBodySchema = z.looseObject({
  error: z
    .union([z.string(), z.looseObject({ message: z.string().nullish() })])
    .nullish()
    .catch(null),
  object: z.string().nullish().catch(null),
  message: z.string().nullish().catch(null),
  detail: z.string().nullish().catch(null),
});
export type UpstreamErrorBody = z.infer<typeof UpstreamErrorBodySchema>;

/** One `data:` payload of a streamed completion (`object:"chat.completion.chunk"`). */
export const ChatCompletionChunkSchema = z.looseObject({
  ...UpstreamErrorBodySchema.shape,
  model: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        index: z.number().nullish(),
        delta: z.looseObject(AssistantPartsShape).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: ChatUsageWireSchema.nullish(),
});
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunkSchema>;

/** A whole completion, for upstreams that answer JSON even when asked to stream. */
export const ChatCompletionSchema = z.looseObject({
  model: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number().nullish(),
      message: z.looseObject(AssistantPartsShape).nullish(),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: ChatUsageWireSchema.nullish(),
});
export type ChatCompletion = z.infer<typeof ChatCompletionSchema>;

/**
 * The human-readable message in an upstream error body, or null when the body has none. Accepts
 * already-parsed JSON of any shape.
 */
export function upstreamErrorMessage(body: unknown): string | null {
  const parsed = UpstreamErrorBodySchema.safeParse(body);
  return parsed.success ? errorBodyMessage(parsed.data) : null;
}

/** As `upstreamErrorMessage`, for a body already parsed (a stream chunk carries the same fields). */
export function errorBodyMessage(body: UpstreamErrorBody): string | null {
  const { error, object, message, detail } = body;
  if (typeof error === "string" && error !== "") return error;
  if (typeof error === "object" && error?.message) return error.message;
  if (object === "error" && message) return message;
  return detail || null;
}
