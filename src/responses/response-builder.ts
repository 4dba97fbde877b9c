/**
 * Holds a response's output as it is produced and turns each change into OpenAI's events
 * (reference §3.2–§3.3). `runResponse` drives it; because every event comes from here, the
 * streamed events and the final object can never disagree.
 */
import type { ChatUsage } from "../inference/chat-model.js";
import type { ResponseEventBody } from "./response-events.js";
import type {
  OutputItem,
  OutputMessage,
  ReasoningItem,
  ResponseError,
  ResponseObject,
  ResponseStatus,
  ResponseUsage,
} from "./response-types.js";
import { newId } from "./ids.js";

type Events = ResponseEventBody[];

/** What a model streams into an item: reasoning, or a message's text or refusal. */
export type StreamedKind = "reasoning_text" | "output_text" | "refusal";

export class ResponseBuilder {
  private readonly output: OutputItem[] = [];
  private usage: ResponseUsage | null = null;
  /** The item the model is writing: its index, the kind of its one part, the text so far. */
  private open: { index: number; kind: StreamedKind; text: string } | null = null;

  constructor(private readonly base: ResponseObject) {}

  /**
   * The response as it stands, for a lifecycle event. The top level, the output (whose items the
   * builder still changes) and the usage are the snapshot's own; the rest of `base` (tools,
   * instructions, metadata…) never changes during a run and is shared rather than deep-copied.
   */
  snapshot(status: ResponseStatus, extra: Partial<ResponseObject> = {}): ResponseObject {
    return {
      ...this.base,
      ...extra,
      status,
      output: this.output.map(copyItem),
      usage: this.usage === null ? null : structuredClone(this.usage),
    };
  }

  get outputItems(): readonly OutputItem[] {
    return this.output;
  }

  addUsage(usage: ChatUsage | null): void {
    if (!usage) return;
    const current = this.usage;
    this.usage = {
      input_tokens: (current?.input_tokens ?? 0) + usage.inputTokens,
      input_tokens_details: {
        cached_tokens: (current?.input_tokens_details.cached_tokens ?? 0) + usage.cachedTokens,
        cache_write_tokens: 0,
      },
      output_tokens: (current?.output_tokens ?? 0) + usage.outputTokens,
      output_tokens_details: {
        reasoning_tokens:
          (current?.output_tokens_details.reasoning_tokens ?? 0) + usage.reasoningTokens,
      },
      total_tokens: (current?.total_tokens ?? 0) + usage.totalTokens,
    };
  }

  /**
   * Appends a delta to the item the model is writing: its reasoning (`reasoning_text`) or its
   * message (`output_text`, `refusal`). The first delta of a kind opens the item and its part;
   * a delta of another kind closes the open item first. `turn` is the model turn's token, which
   * the item id carries (`newId`).
   */
  appendText(kind: StreamedKind, delta: string, turn: string): Events {
    const events: Events = [];
    if (this.open && this.open.kind !== kind) events.push(...this.closeOpen("completed"));
    if (!this.open) events.push(...this.openItem(kind, turn));
    const open = this.open;
    if (!open) return events;
    open.text += delta;
    const ref = { item_id: this.itemId(open.index), output_index: open.index, content_index: 0 };
    switch (kind) {
      case "reasoning_text":
        events.push({ type: "response.reasoning_text.delta", ...ref, delta });
        break;
      case "output_text":
        events.push({ type: "response.output_text.delta", ...ref, delta, logprobs: [] });
        break;
      case "refusal":
        events.push({ type: "response.refusal.delta", ...ref, delta });
        break;
    }
    return events;
  }

  /**
   * Closes the item the model was writing, if any: `incomplete` when the model hit its token
   * limit or the response failed while it wrote.
   */
  closeOpen(status: "completed" | "incomplete"): Events {
    const open = this.open;
    if (!open) return [];
    this.open = null;
    const item = this.output[open.index];
    if (!item) return [];
    const ref = { item_id: item.id, output_index: open.index, content_index: 0 };
    if (item.type === "reasoning") {
      const part = { type: "reasoning_text" as const, text: open.text };
      item.content = [part];
      item.status = status;
      return [
        { type: "response.reasoning_text.done", ...ref, text: open.text },
        { type: "response.content_part.done", ...ref, part: { ...part } },
        { type: "response.output_item.done", output_index: open.index, item: copyItem(item) },
      ];
    }
    if (item.type !== "message") return [];
    const part =
      open.kind === "output_text"
        ? { ...emptyText(), text: open.text }
        : { type: "refusal" as const, refusal: open.text };
    item.content = [part];
    item.status = status;
    return [
      open.kind === "output_text"
        ? { type: "response.output_text.done", ...ref, text: open.text, logprobs: [] }
        : { type: "response.refusal.done", ...ref, refusal: open.text },
      { type: "response.content_part.done", ...ref, part: structuredClone(part) },
      { type: "response.output_item.done", output_index: open.index, item: copyItem(item) },
    ];
  }

  /** Adds an output item and announces it; returns its index. */
  addItem(item: OutputItem): { index: number; events: Events } {
    const index = this.output.push(item) - 1;
    return {
      index,
      events: [{ type: "response.output_item.added", output_index: index, item: copyItem(item) }],
    };
  }

  /** Replaces the item at `index` with its final form and announces it done. */
  finishItem(index: number, item: OutputItem): Events {
    this.output[index] = item;
    return [{ type: "response.output_item.done", output_index: index, item: copyItem(item) }];
  }

  completed(now: number): ResponseEventBody {
    return {
      type: "response.completed",
      response: this.snapshot("completed", { completed_at: now }),
    };
  }

  incomplete(reason: "max_output_tokens" | "content_filter"): ResponseEventBody {
    return {
      type: "response.incomplete",
      response: this.snapshot("incomplete", { incomplete_details: { reason } }),
    };
  }

  failed(error: ResponseError): ResponseEventBody {
    return { type: "response.failed", response: this.snapshot("failed", { error }) };
  }

  cancelled(): ResponseObject {
    return this.snapshot("cancelled");
  }

  private itemId(index: number): string {
    return this.output[index]?.id ?? "";
  }

  /**
   * Opens the item for a first delta: announced with an empty part, as OpenAI's open-weight
   * server announces reasoning (an item with `content: []`, then `content_part.added`).
   */
  private openItem(kind: StreamedKind, turn: string): Events {
    const item: ReasoningItem | OutputMessage =
      kind === "reasoning_text"
        ? {
            type: "reasoning",
            id: newId("rs", turn),
            summary: [],
            content: [],
            encrypted_content: null,
            status: "in_progress",
          }
        : {
            type: "message",
            id: newId("msg", turn),
            role: "assistant",
            status: "in_progress",
            content: [],
          };
    const index = this.output.push(item) - 1;
    this.open = { index, kind, text: "" };
    const part =
      kind === "reasoning_text"
        ? { type: "reasoning_text" as const, text: "" }
        : kind === "output_text"
          ? emptyText()
          : { type: "refusal" as const, refusal: "" };
    return [
      { type: "response.output_item.added", output_index: index, item: copyItem(item) },
      {
        type: "response.content_part.added",
        item_id: item.id,
        output_index: index,
        content_index: 0,
        part,
      },
    ];
  }
}

/**
 * Each event gets its own copy of an item, since the builder and the accumulator change items
 * while they stream. A listing's `tools` are the exception: they are never changed once listed
 * (their schemas are shared with the tools/list cache already), and deep-copying a real server's
 * 40 tools costs ~0.3 ms per copy, three copies per response. So they are shared.
 */
function copyItem<Item extends OutputItem>(item: Item): Item {
  return item.type === "mcp_list_tools" ? { ...item } : structuredClone(item);
}

function emptyText(): {
  type: "output_text";
  text: string;
  annotations: never[];
  logprobs: never[];
} {
  return { type: "output_text", text: "", annotations: [], logprobs: [] };
}
