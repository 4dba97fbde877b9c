/**
 * Folds a response's events into the Response object (STYLE.md "One path"): the JSON answer of
 * `POST /v1/responses` is this fold of the very events the stream would have carried.
 */
import type { ResponseEventBody } from "./response-events.js";
import type { OutputItem, ResponseObject } from "./response-types.js";

/**
 * A lifecycle snapshot's top level and output are copied before later events change them (an SSE
 * writer may still hold `response.created` while they arrive); the terminal snapshot is the last
 * event, so only its top level is copied. Items and parts are adopted as they are: the builder
 * already gives each event its own copy and every event is written before the next one is applied.
 */
export class ResponseAccumulator {
  private current: ResponseObject | null = null;

  get response(): ResponseObject | null {
    return this.current;
  }

  apply(event: ResponseEventBody): void {
    switch (event.type) {
      case "response.created":
      case "response.in_progress":
      case "response.queued":
        this.current = { ...event.response, output: structuredClone(event.response.output) };
        return;
      case "response.completed":
      case "response.failed":
      case "response.incomplete":
        this.current = { ...event.response };
        return;
      case "response.output_item.added":
      case "response.output_item.done":
        this.setItem(event.output_index, event.item);
        return;
      case "response.content_part.added":
      case "response.content_part.done": {
        const item = this.item(event.output_index);
        const part = event.part;
        if (item?.type === "message" && part.type !== "reasoning_text")
          item.content[event.content_index] = structuredClone(part);
        else if (item?.type === "reasoning" && part.type === "reasoning_text")
          item.content[event.content_index] = { ...part };
        return;
      }
      case "response.reasoning_text.delta":
      case "response.reasoning_text.done": {
        const item = this.item(event.output_index);
        const part = item?.type === "reasoning" ? item.content[event.content_index] : undefined;
        if (!part) return;
        part.text =
          event.type === "response.reasoning_text.delta" ? part.text + event.delta : event.text;
        return;
      }
      case "response.output_text.delta":
      case "response.refusal.delta": {
        const part = this.part(event.output_index, event.content_index);
        if (part?.type === "output_text") part.text += event.delta;
        else if (part?.type === "refusal") part.refusal += event.delta;
        return;
      }
      case "response.output_text.done": {
        const part = this.part(event.output_index, event.content_index);
        if (part?.type === "output_text") part.text = event.text;
        return;
      }
      case "response.refusal.done": {
        const part = this.part(event.output_index, event.content_index);
        if (part?.type === "refusal") part.refusal = event.refusal;
        return;
      }
      case "response.function_call_arguments.delta":
      case "response.mcp_call_arguments.delta": {
        const item = this.item(event.output_index);
        if (item?.type === "function_call" || item?.type === "mcp_call")
          item.arguments += event.delta;
        return;
      }
      case "response.function_call_arguments.done":
      case "response.mcp_call_arguments.done": {
        const item = this.item(event.output_index);
        if (item?.type === "function_call" || item?.type === "mcp_call")
          item.arguments = event.arguments;
        return;
      }
      case "response.mcp_call.in_progress":
      case "response.mcp_call.completed":
      case "response.mcp_call.failed": {
        const item = this.item(event.output_index);
        if (item?.type === "mcp_call")
          item.status =
            event.type === "response.mcp_call.in_progress"
              ? "in_progress"
              : event.type === "response.mcp_call.completed"
                ? "completed"
                : "failed";
        return;
      }
      case "response.mcp_list_tools.in_progress":
      case "response.mcp_list_tools.completed":
      case "response.mcp_list_tools.failed":
        return;
    }
  }

  private item(index: number): OutputItem | undefined {
    return this.current?.output[index];
  }

  private setItem(index: number, item: OutputItem): void {
    if (this.current) this.current.output[index] = item;
  }

  private part(outputIndex: number, contentIndex: number) {
    const item = this.item(outputIndex);
    return item?.type === "message" ? item.content[contentIndex] : undefined;
  }
}

/** Folds a whole event sequence; the result equals the terminal event's response. */
export function accumulateResponse(events: Iterable<ResponseEventBody>): ResponseObject | null {
  const accumulator = new ResponseAccumulator();
  for (const event of events) accumulator.apply(event);
  return accumulator.response;
}
