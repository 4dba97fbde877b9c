/**
 * Helpers to read Patchbay's SSE as a client sees it and to check the stream invariants every
 * streamed response must keep (PRODUCT.md §3 "Streaming", §8.17).
 */
import { expect } from "vitest";

export interface SseEvent {
  event: string;
  data: Record<string, unknown> & { type: string; sequence_number: number };
}

/**
 * Checks: one `response.created` first, one terminal event last, contiguous sequence numbers,
 * deltas = done text (output text and reasoning text).
 */
export function expectWellFormedStream(
  events: ReadonlyArray<{ type: string; sequence_number: number }>,
): void {
  expect(events.length).toBeGreaterThan(1);
  expect(events[0]?.type).toBe("response.created");
  expect(events.filter((event) => event.type === "response.created")).toHaveLength(1);
  const terminal = events.filter((event) =>
    ["response.completed", "response.failed", "response.incomplete"].includes(event.type),
  );
  expect(terminal).toHaveLength(1);
  expect(events.at(-1)).toBe(terminal[0]);
  events.forEach((event, index) => expect(event.sequence_number).toBe(index));

  const deltas = new Map<string, string>();
  for (const event of events) {
    const record = event as unknown as Record<string, unknown>;
    const key = `${String(record.item_id)}:${String(record.content_index)}`;
    if (
      event.type === "response.output_text.delta" ||
      event.type === "response.reasoning_text.delta"
    )
      deltas.set(key, (deltas.get(key) ?? "") + String(record.delta));
    if (event.type === "response.output_text.done" || event.type === "response.reasoning_text.done")
      expect(record.text).toBe(deltas.get(key) ?? "");
  }
}

/** Reads a raw SSE body into `{event, data}` frames, checking `event:` matches `data.type`. */
export async function readSse(response: Response): Promise<SseEvent[]> {
  const text = await response.text();
  const frames = text.split("\n\n").filter((frame) => frame.trim() !== "");
  return frames.map((frame) => {
    const lines = frame.split("\n");
    const event = lines.find((line) => line.startsWith("event: "))?.slice(7) ?? "";
    const data = JSON.parse(
      lines.find((line) => line.startsWith("data: "))?.slice(6) ?? "{}",
    ) as SseEvent["data"];
    expect(data.type).toBe(event);
    return { event, data };
  });
}
