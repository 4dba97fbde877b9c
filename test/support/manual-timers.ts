/**
 * Timers a test fires by hand (the `SyncTimers` of `RegistrySync`), so interval behaviour is tested
 * without waiting and "no timer left behind" is a count.
 */
export class ManualTimers {
  readonly #pending = new Map<number, { callback: () => void; delayMs: number }>();
  #nextId = 1;

  readonly setTimer = (callback: () => void, delayMs: number): unknown => {
    const id = this.#nextId;
    this.#nextId += 1;
    this.#pending.set(id, { callback, delayMs });
    return id;
  };

  readonly clearTimer = (handle: unknown): void => {
    if (typeof handle === "number") this.#pending.delete(handle);
  };

  get count(): number {
    return this.#pending.size;
  }

  /** Delays of the pending timers, in the order they were set. */
  get delays(): number[] {
    return [...this.#pending.values()].map(({ delayMs }) => delayMs);
  }

  /** Fires every pending timer once, as if its delay had passed. */
  fireAll(): void {
    const due = [...this.#pending.values()];
    this.#pending.clear();
    for (const { callback } of due) callback();
  }
}
