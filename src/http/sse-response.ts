/**
 * Writes a response's events as SSE (PRODUCT.md §8.17: `event:` then `data:` then a blank line).
 * Headers are held back until the first event that is more than `response.created` /
 * `response.in_progress`, so a model that fails before its first byte still gets a real HTTP
 * status (PRODUCT.md §8.15); after that, a failure is the stream's `response.failed`.
 */
import type { ResponseExecution } from "../responses/response-execution.js";
import type { ResponseEvent, ResponseEventType } from "../responses/response-events.js";

const HELD_BACK: ReadonlySet<ResponseEventType> = new Set([
  "response.created",
  "response.in_progress",
  "response.queued",
]);

export function encodeSseEvent(event: ResponseEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Resolves to the SSE `Response`, or throws the failure when it happened before any output. */
export async function toSseResponse(
  execution: ResponseExecution,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const iterator = execution.events();
  const held: ResponseEvent[] = [];
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    held.push(next.value);
    if (next.value.type === "response.failed") {
      execution.failureGoesToCaller();
      await iterator.next();
      if (execution.failure) throw execution.failure;
      break;
    }
    if (!HELD_BACK.has(next.value.type)) break;
  }

  return eventStreamResponse(held, iterator, extraHeaders);
}

/**
 * A follower's stream (issue 14 §2): the response already exists, so the headers go at once. The
 * body pulls one event at a time, so a slow client holds no more than its socket's buffer.
 */
export function toFollowerSseResponse(
  events: AsyncGenerator<ResponseEvent>,
  extraHeaders: Record<string, string> = {},
): Response {
  return eventStreamResponse([], events, extraHeaders);
}

function eventStreamResponse(
  held: readonly ResponseEvent[],
  iterator: AsyncGenerator<ResponseEvent>,
  extraHeaders: Record<string, string>,
): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const event of held) controller.enqueue(encoder.encode(encodeSseEvent(event)));
    },
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(encodeSseEvent(next.value)));
      } catch {
        controller.close();
      }
    },
    async cancel() {
      await iterator.return(undefined);
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      ...extraHeaders,
    },
  });
}
