/**
 * `GET /v1/responses/{id}?stream=true&starting_after=N` and the stream of `background: true,
 * stream: true` (issue 14 §2): the stored events after N, then the live run's as they are stored,
 * to its terminal event, from any replica. The store is the one source, so every follower gets the
 * same contiguous sequence; each holds at most one page of events (`MAX_EVENT_PAGE`) and reads at
 * its own pace, so a slow one never slows the run.
 */
import { MAX_EVENT_PAGE, type BackgroundRunStore } from "../../store/background-run-store.js";
import { TERMINAL_EVENT_TYPES, type ResponseEvent } from "../response-events.js";
import type { RunWakeups } from "./run-wakeups.js";

export interface FollowDeps {
  runs: BackgroundRunStore;
  wakeups: RunWakeups;
  /** The longest wait between two reads when no wakeup comes (a run on another replica). */
  pollMs: number;
}

/**
 * Ends after a terminal event, or once the run is over and every event it stored was read (a
 * cancelled run ends without a terminal event, as OpenAI's streams do), or when `signal` aborts
 * (the reader went away: it stops polling at once, even while the run is silent).
 */
export async function* followEvents(
  responseId: string,
  startingAfter: number,
  deps: FollowDeps,
  signal: AbortSignal,
): AsyncGenerator<ResponseEvent> {
  let last = startingAfter;
  let runOver = false;
  while (!signal.aborted) {
    const wakeup = deps.wakeups.subscribe(responseId, deps.pollMs, signal);
    try {
      const events = await deps.runs.readEvents(responseId, last, MAX_EVENT_PAGE);
      for (const event of events) {
        yield event;
        last = event.sequence_number;
        if (TERMINAL_EVENT_TYPES.has(event.type)) return;
      }
      // Read until a read finds nothing: a wake during the last read went to an older wait.
      if (events.length > 0) continue;
      if (runOver) return;
      // The runner stores all its events before it ends the run: one more read gets the rest.
      if (!(await deps.runs.isRunning(responseId))) {
        runOver = true;
        continue;
      }
      await wakeup.woken;
    } finally {
      wakeup.cancel();
    }
  }
}
