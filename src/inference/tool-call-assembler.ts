import { randomBytes } from "node:crypto";
import type { ToolCallDelta } from "./chat-chunk-schema.js";
import { UpstreamModelError } from "../errors/upstream-model-error.js";

/** A tool call whose fragments have all arrived. */
export interface AssembledToolCall {
  id: string;
  name: string;
  arguments: string;
}

interface PendingCall {
  index: number;
  id: string | null;
  name: string | null;
  arguments: string;
}

/**
 * Joins streamed `tool_calls` fragments into whole calls, because servers disagree on how to send
 * them (PRODUCT.md §2 "Inference"): OpenAI and vLLM send `id`/`name` once, then `arguments` in
 * pieces, keyed by `index`; Ollama sends each call whole in one chunk, sometimes without `index`.
 * A fragment without `index` starts a new call when it has a new `id` (or, lacking an id, names
 * another function), else continues the last one.
 * A fragment whose `id` differs from the call already at its `index` starts a new call too (servers
 * that number every call 0).
 */
export class ToolCallAssembler {
  readonly #calls: PendingCall[] = [];

  add(delta: ToolCallDelta): void {
    const call = this.#target(delta);
    call.id ??= delta.id ?? null;
    call.name ??= delta.function?.name || null;
    const fragment = delta.function?.arguments;
    if (typeof fragment === "string") call.arguments += fragment;
    else if (fragment) call.arguments += JSON.stringify(fragment);
  }

  get size(): number {
    return this.#calls.length;
  }

  /**
   * The calls in `index` order (ties in arrival order). Empty arguments become `{}` so callers can
   * always parse them; an id is generated when upstream gave none.
   */
  finish(): AssembledToolCall[] {
    const ordered = [...this.#calls].sort((left, right) => left.index - right.index);
    return ordered.map((call) => {
      if (!call.name) {
        throw new UpstreamModelError("Model server sent a tool call without a function name.", {
          kind: "protocol",
        });
      }
      return {
        id: call.id ?? `call_${randomBytes(12).toString("hex")}`,
        name: call.name,
        arguments: call.arguments.trim() === "" ? "{}" : call.arguments,
      };
    });
  }

  #target(delta: ToolCallDelta): PendingCall {
    const last = this.#calls.at(-1);
    const index = delta.index ?? null;
    if (index === null) {
      const name = delta.function?.name;
      const continuesLast =
        last && (delta.id ? delta.id === last.id : !name || !last.name || name === last.name);
      return continuesLast ? last : this.#open(this.#nextIndex());
    }
    const existing = this.#calls.findLast((call) => call.index === index);
    const sameCall = existing && (!delta.id || !existing.id || delta.id === existing.id);
    return sameCall ? existing : this.#open(index);
  }

  #open(index: number): PendingCall {
    const call: PendingCall = { index, id: null, name: null, arguments: "" };
    this.#calls.push(call);
    return call;
  }

  #nextIndex(): number {
    return this.#calls.reduce((highest, call) => Math.max(highest, call.index + 1), 0);
  }
}
