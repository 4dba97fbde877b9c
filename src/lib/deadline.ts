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
 * One exchange with a peer under three stop conditions: the caller's signal (the client went
 * away), our timers, and our own `abort` (a limit hit, the exchange disposed). `signal` is what
 * the I/O gets; it aborts on any of them. A failure comes out classified by `within`: the caller's
 * reason first (never wrapped, so a cancelled request stays a cancellation), then our own reason
 * (the expiry we named), then the operation's own error, which the caller maps to its domain.
 * Written once for model calls, registry requests and MCP connects (issue 12 "Deadlines").
 */
export class Deadline {
  readonly #caller: AbortSignal;
  readonly #controller = new AbortController();
  readonly #forward: () => void;

  constructor(caller: AbortSignal) {
    this.#caller = caller;
    this.#forward = () => this.#controller.abort(caller.reason);
    if (caller.aborted) this.#controller.abort(caller.reason);
    else caller.addEventListener("abort", this.#forward, { once: true });
  }

  /** Aborts on the caller's abort, an expiry, or `abort`. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Stops the exchange with `reason` (no effect once it is aborted). */
  abort(reason: unknown): void {
    this.#controller.abort(reason);
  }

  /**
   * Awaits `operation` with a timer of `timeoutMs`: when it fires first, `signal` aborts with
   * `expired()`. Rejects with `reasonFor(error)`. The operation must honour `signal` (wrap it in
   * `untilAborted` if it does not), or an expiry waits for it.
   */
  async within<T>(
    timeoutMs: number,
    expired: () => unknown,
    operation: () => Promise<T>,
  ): Promise<T> {
    this.#caller.throwIfAborted();
    this.#controller.signal.throwIfAborted();
    const timer = setTimeout(() => this.#controller.abort(expired()), timeoutMs);
    timer.unref();
    try {
      return await operation();
    } catch (error) {
      throw this.reasonFor(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The caller's abort reason if it aborted, else ours if we aborted, else `error` itself. */
  reasonFor(error: unknown): unknown {
    if (this.#caller.aborted) return this.#caller.reason;
    if (this.#controller.signal.aborted) return this.#controller.signal.reason;
    return error;
  }

  /** Stops following the caller's signal. Does not abort: a settled exchange may be left alone. */
  release(): void {
    this.#caller.removeEventListener("abort", this.#forward);
  }
}

/**
 * `run` under a `Deadline` of `timeoutMs` that rejects with `DeadlineExceededError` when it
 * expires; the rejection is classified as `Deadline.within` does.
 */
export async function withDeadline<T>(
  caller: AbortSignal,
  timeoutMs: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = new Deadline(caller);
  try {
    return await deadline.within(
      timeoutMs,
      () => new DeadlineExceededError(timeoutMs),
      () => run(deadline.signal),
    );
  } finally {
    deadline.release();
  }
}
