import { once } from "node:events";

/** Our own deadline passed. Distinct from the caller's abort, which is rethrown as is. */
export class DeadlineExceededError extends Error {
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`Timed out after ${timeoutMs} ms`);
    this.name = "DeadlineExceededError";
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Runs `run` until it settles, `timeoutMs` passes (rejects with `DeadlineExceededError`) or `signal`
 * aborts (rejects with its reason), whichever comes first; `run`'s signal aborts in the last two
 * cases. Why: the legacy SSE transport's `start()` waits for the `endpoint` event with no timeout
 * and ignores aborts, so a server that accepts the GET and stays silent would hang a connect.
 */
export async function runWithDeadline<T>(
  options: { signal: AbortSignal; timeoutMs: number },
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { signal, timeoutMs } = options;
  signal.throwIfAborted();
  const controller = new AbortController();
  const forward = (): void => controller.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  const timer = setTimeout(() => controller.abort(new DeadlineExceededError(timeoutMs)), timeoutMs);
  timer.unref();
  const aborted = once(controller.signal, "abort").then((): never => {
    throw controller.signal.reason;
  });
  try {
    const work = run(controller.signal);
    work.catch(() => undefined);
    return await Promise.race([work, aborted]);
  } catch (error) {
    // The SDK rejects synchronously on abort, wrapping our reason; report the reason itself.
    if (controller.signal.aborted) {
      throw controller.signal.reason;
    }
    throw error;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", forward);
  }
}
