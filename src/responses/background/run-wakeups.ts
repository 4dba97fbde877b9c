/**
 * In-process wakeups for followers of background responses (issue 14 §2): the runner on this
 * replica wakes them as soon as it has stored new events; followers of a run on another replica
 * wake on their poll instead.
 */

/** One follower's wait: taken before it reads, so a wake during the read is not missed. */
export interface Wakeup {
  /** Resolves at the next `wake`, after the poll interval, or when the signal aborts. */
  woken: Promise<void>;
  /** Stops waiting (the read found events); `woken` resolves. */
  cancel(): void;
}

export class RunWakeups {
  readonly #waiting = new Map<string, Set<() => void>>();

  /** Starts waiting for the next `wake(responseId)`, at most `ms`, or until `signal` aborts. */
  subscribe(responseId: string, ms: number, signal?: AbortSignal): Wakeup {
    let done = (): void => undefined;
    const woken = new Promise<void>((resolve) => {
      let waiting = this.#waiting.get(responseId);
      if (!waiting) {
        waiting = new Set();
        this.#waiting.set(responseId, waiting);
      }
      const set = waiting;
      done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        set.delete(done);
        if (set.size === 0 && this.#waiting.get(responseId) === set) {
          this.#waiting.delete(responseId);
        }
        resolve();
      };
      const timer = setTimeout(done, signal?.aborted ? 0 : ms);
      signal?.addEventListener("abort", done, { once: true });
      set.add(done);
    });
    return { woken, cancel: done };
  }

  /** Waits as `subscribe` does. */
  wait(responseId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return this.subscribe(responseId, ms, signal).woken;
  }

  wake(responseId: string): void {
    for (const done of [...(this.#waiting.get(responseId) ?? [])]) done();
  }
}
