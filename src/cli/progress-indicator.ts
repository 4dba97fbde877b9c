/**
 * Shows that a long request (a forced registry sync) is still running: on a terminal, a spinner
 * and the elapsed seconds redrawn in place with `\r` on stderr; when stderr is not a terminal
 * (piped, CI logs), nothing at all, so captured output holds only the result.
 */
import type { TextSink } from "./output.js";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const CLEAR_LINE = "\r\u001b[2K";

/** A running indicator; `stop()` erases it (idempotent). */
export interface ProgressIndicator {
  stop(): void;
}

/** Injectable clock and timer, so a test drives frames without waiting. */
export interface ProgressTimers {
  now: () => number;
  setInterval: (callback: () => void, delayMs: number) => unknown;
  clearInterval: (handle: unknown) => void;
}

const systemTimers: ProgressTimers = {
  now: () => Date.now(),
  setInterval: (callback, delayMs) => setInterval(callback, delayMs),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/** Starts the indicator on `sink` (a no-op unless `sink.isTTY`). */
export function startProgress(
  sink: TextSink,
  label: string,
  timers: ProgressTimers = systemTimers,
): ProgressIndicator {
  if (sink.isTTY !== true) return { stop: () => undefined };
  const startedAt = timers.now();
  let frame = 0;
  const draw = (): void => {
    const seconds = ((timers.now() - startedAt) / 1000).toFixed(1);
    sink.write(`${CLEAR_LINE}${FRAMES[frame % FRAMES.length] ?? ""} ${label} ${seconds}s`);
    frame += 1;
  };
  draw();
  let handle: unknown = timers.setInterval(draw, 100);
  return {
    stop() {
      if (handle === null) return;
      timers.clearInterval(handle);
      handle = null;
      sink.write(CLEAR_LINE);
    },
  };
}
