/**
 * Work that one replica of a cluster does at a time (issue 13 §3, §5): a registry crawl, a
 * retention sweep. On PostgreSQL a session advisory lock on a connection of its own: it is held
 * exactly as long as that connection lives, so a replica killed mid-work (kill -9) frees it as soon
 * as the server sees the connection close, and a waiting replica takes over. On SQLite (one
 * process) an in-process mutex per name.
 */

export interface ClusterLocks {
  /**
   * Waits for the named lock, runs `work` while holding it, then frees it. `signal` stops the wait
   * (rejecting with its reason). `work`'s own signal aborts when the lock is lost (the lock's
   * connection died), so it stops instead of running on unguarded.
   */
  hold<T>(name: string, work: (lost: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T>;
  /** Like `hold`, but gives up at once (`{ held: false }`) when another holder has the lock. */
  tryHold<T>(
    name: string,
    work: (lost: AbortSignal) => Promise<T>,
  ): Promise<{ held: true; value: T } | { held: false }>;
}

/** In-process locks: a queue per name. */
export class InProcessClusterLocks implements ClusterLocks {
  readonly #tails = new Map<string, Promise<void>>();

  async hold<T>(
    name: string,
    work: (lost: AbortSignal) => Promise<T>,
    signal: AbortSignal,
  ): Promise<T> {
    signal.throwIfAborted();
    const previous = this.#tails.get(name) ?? Promise.resolve();
    let free = (): void => undefined;
    const mine = new Promise<void>((resolve) => (free = resolve));
    const tail = previous.then(() => mine);
    this.#tails.set(name, tail);
    try {
      await waitOrAbort(previous, signal);
      return await work(new AbortController().signal);
    } finally {
      free();
      if (this.#tails.get(name) === tail) this.#tails.delete(name);
    }
  }

  async tryHold<T>(
    name: string,
    work: (lost: AbortSignal) => Promise<T>,
  ): Promise<{ held: true; value: T } | { held: false }> {
    if (this.#tails.has(name)) return { held: false };
    return { held: true, value: await this.hold(name, work, new AbortController().signal) };
  }
}

function waitOrAbort(wait: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    void wait.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
