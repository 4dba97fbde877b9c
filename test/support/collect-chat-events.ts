import type { ChatEvent } from "../../src/inference/chat-model.js";
import { UpstreamModelError } from "../../src/errors/upstream-model-error.js";

/** Drains a model turn; `onEvent` sees each event as it arrives (e.g. to abort mid-stream). */
export async function collectChatEvents(
  events: AsyncIterable<ChatEvent>,
  onEvent?: (event: ChatEvent) => void,
): Promise<ChatEvent[]> {
  const seen: ChatEvent[] = [];
  for await (const event of events) {
    seen.push(event);
    onEvent?.(event);
  }
  return seen;
}

/** Drains a model turn that must fail with an `UpstreamModelError`, and returns that error. */
export async function collectUpstreamFailure(
  events: AsyncIterable<ChatEvent>,
): Promise<UpstreamModelError> {
  const error: unknown = await collectChatEvents(events).then(
    () => new Error("expected the model turn to fail"),
    (reason: unknown) => reason,
  );
  if (!(error instanceof UpstreamModelError)) throw error;
  return error;
}

/** The text deltas of a turn, in order. */
export function textDeltas(events: ChatEvent[]): string[] {
  return events.flatMap((event) => (event.type === "text" ? [event.delta] : []));
}
