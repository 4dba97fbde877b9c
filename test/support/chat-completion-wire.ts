/**
 * Chat Completions wire shapes for the scripted model server (`scripted-model-server.ts`): what a
 * turn looks like as SSE chunks and as one JSON completion, spelled as OpenAI sends them.
 */

/** Wire-shaped usage, as the server sends it. */
export interface ScriptedUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

export interface ScriptedToolCall {
  name: string;
  /** JSON text, sent as is. */
  arguments: string;
  id?: string;
}

/** Reasoning streamed before the turn's text and calls, as reasoning models' servers send it. */
export interface ScriptedReasoning {
  text: string;
  /**
   * The name the server gives it: `reasoning_content` (llama.cpp, DeepSeek, vLLM before its
   * rename) or `reasoning` (Ollama, OpenRouter, vLLM after it).
   */
  field: "reasoning_content" | "reasoning";
  /** Streamed in this many pieces (default 3). */
  chunks?: number;
}

export interface ScriptedTurnOptions {
  reasoning?: ScriptedReasoning;
  usage?: ScriptedUsage;
  finishReason?: string;
  delayMs?: number;
  /** Force the answer's format whatever the request's `stream` says (an upstream that ignores it). */
  format?: "sse" | "json";
}

export interface ScriptedTurn {
  reasoning: ScriptedReasoning | null;
  content: string | null;
  toolCalls: { id: string; type: "function"; function: { name: string; arguments: string } }[];
  chunks: Record<string, unknown>[];
  finishReason: string;
  usage: ScriptedUsage;
}

/** Real Chat Completions shapes, as OpenAI sends them (ids, `object`, `created`, `index`). */
export class ChatCompletionWire {
  readonly #id = `chatcmpl-${Math.random().toString(36).slice(2, 12)}`;
  readonly #created = Math.floor(Date.now() / 1000);
  readonly #model: string;

  constructor(model: string) {
    this.#model = model;
  }

  chunk(delta: Record<string, unknown>, finishReason: string | null): Record<string, unknown> {
    return {
      id: this.#id,
      object: "chat.completion.chunk",
      created: this.#created,
      model: this.#model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
  }

  textChunks(text: string, count: number): Record<string, unknown>[] {
    const first = this.chunk({ role: "assistant", content: "", refusal: null }, null);
    return [first, ...split(text, count).map((piece) => this.chunk({ content: piece }, null))];
  }

  /** The reasoning in pieces under its field's name (no role chunk). */
  reasoningChunks(reasoning: ScriptedReasoning): Record<string, unknown>[] {
    const pieces = split(reasoning.text, reasoning.chunks ?? 3);
    return pieces.map((piece) => this.chunk({ [reasoning.field]: piece }, null));
  }

  textTurn(step: { text: string; chunks?: number } & ScriptedTurnOptions): ScriptedTurn {
    const chunks = this.textChunks(step.text, step.chunks ?? 1);
    if (step.reasoning) chunks.splice(1, 0, ...this.reasoningChunks(step.reasoning));
    return this.#turn(step.text, [], chunks, step, "stop");
  }

  toolTurn(
    step: {
      toolCalls: ScriptedToolCall[];
      splitArguments?: boolean;
      text?: string;
    } & ScriptedTurnOptions,
  ): ScriptedTurn {
    const calls = step.toolCalls.map((call) => ({
      id: call.id ?? `call_${Math.random().toString(36).slice(2, 14)}`,
      type: "function" as const,
      function: { name: call.name, arguments: call.arguments },
    }));
    const chunks = step.text ? this.textChunks(step.text, 1) : [];
    if (step.reasoning)
      chunks.splice(step.text ? 1 : 0, 0, ...this.reasoningChunks(step.reasoning));
    calls.forEach((call, index) => {
      const { name, arguments: args } = call.function;
      const fragments = step.splitArguments ? split(args, Math.ceil(args.length / 5)) : [];
      const head = { ...call, function: { name, arguments: step.splitArguments ? "" : args } };
      chunks.push(this.chunk({ tool_calls: [{ index, ...head }] }, null));
      for (const fragment of fragments) {
        chunks.push(
          this.chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }, null),
        );
      }
    });
    return this.#turn(step.text ?? null, calls, chunks, step, "tool_calls");
  }

  completion(turn: ScriptedTurn): Record<string, unknown> {
    const toolCalls = turn.toolCalls.length > 0 ? { tool_calls: turn.toolCalls } : {};
    const reasoning = turn.reasoning ? { [turn.reasoning.field]: turn.reasoning.text } : {};
    const message = {
      role: "assistant",
      content: turn.content,
      refusal: null,
      ...reasoning,
      ...toolCalls,
    };
    return {
      id: this.#id,
      object: "chat.completion",
      created: this.#created,
      model: this.#model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: turn.finishReason }],
      usage: turn.usage,
    };
  }

  #turn(
    content: string | null,
    toolCalls: ScriptedTurn["toolCalls"],
    chunks: Record<string, unknown>[],
    options: ScriptedTurnOptions,
    finishReason: string,
  ): ScriptedTurn {
    const completionTokens = Math.max(1, chunks.length);
    const usage = options.usage ?? { prompt_tokens: 5, completion_tokens: completionTokens };
    const total = usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens;
    return {
      reasoning: options.reasoning ?? null,
      content,
      toolCalls,
      chunks,
      finishReason: options.finishReason ?? finishReason,
      usage: { ...usage, total_tokens: total },
    };
  }
}

/** `text` in `count` nearly equal pieces (fewer when the text is shorter). */
function split(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, count)));
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) {
    pieces.push(text.slice(start, start + size));
  }
  return pieces;
}
