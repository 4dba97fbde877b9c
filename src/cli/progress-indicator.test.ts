import { describe, expect, it } from "vitest";
import { startProgress, type ProgressTimers } from "./progress-indicator.js";

function recordingSink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, sink: { isTTY, write: (text: string) => writes.push(text) } };
}

function manualTimers() {
  let now = 1_000;
  let tick: (() => void) | null = null;
  const timers: ProgressTimers = {
    now: () => now,
    setInterval: (callback) => {
      tick = callback;
      return "handle";
    },
    clearInterval: () => {
      tick = null;
    },
  };
  return {
    timers,
    advance(ms: number) {
      now += ms;
      tick?.();
    },
    get running() {
      return tick !== null;
    },
  };
}

describe("startProgress", () => {
  it("redraws a spinner with the elapsed time in place on a terminal, and erases it", () => {
    const { writes, sink } = recordingSink(true);
    const clock = manualTimers();
    const progress = startProgress(sink, "syncing registry r", clock.timers);
    clock.advance(1_500);
    expect(writes).toEqual([
      "\r\u001b[2K⠋ syncing registry r 0.0s",
      "\r\u001b[2K⠙ syncing registry r 1.5s",
    ]);
    progress.stop();
    progress.stop();
    expect(clock.running).toBe(false);
    expect(writes.slice(2)).toEqual(["\r\u001b[2K"]);
  });

  it("writes nothing when the stream is not a terminal", () => {
    const { writes, sink } = recordingSink(false);
    const clock = manualTimers();
    startProgress(sink, "syncing", clock.timers).stop();
    expect(writes).toEqual([]);
    expect(clock.running).toBe(false);
  });
});
