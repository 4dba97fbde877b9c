/** Anything that stops one waiting request: its `AbortController`, or the connect's `Deadline`. */
export interface Abortable {
  abort(reason: unknown): void;
}

/**
 * The requests one session has in flight, by JSON-RPC id when known, so a failure the SDK does
 * not attribute (an SSE answer cut off at a limit: the SDK only reports the error and lets the
 * request wait for its timeout) can fail the one request it belongs to, at once and with its own
 * reason. The id is learnt from the transport's `send`, which the SDK calls synchronously inside
 * `Client.request`; `track` reads it right after. Should an SDK ever send later, requests stay
 * unattributed and `fail` falls back to stopping every request of the session.
 */
export class InFlightRequests {
  readonly #byId = new Map<string, Abortable>();
  readonly #all = new Set<Abortable>();
  #lastSentId: string | undefined;

  /** Call from the transport's `send` with each outgoing JSON-RPC request id. */
  sent(id: string): void {
    this.#lastSentId = id;
  }

  /**
   * Runs `start` (which must send its request synchronously) and tracks `abortable` under the
   * id it sent until the returned promise settles.
   */
  async track<T>(abortable: Abortable, start: () => Promise<T>): Promise<T> {
    this.#lastSentId = undefined;
    const pending = start();
    const id = this.#lastSentId;
    this.#all.add(abortable);
    if (id !== undefined) this.#byId.set(id, abortable);
    try {
      return await pending;
    } finally {
      this.#all.delete(abortable);
      if (id !== undefined && this.#byId.get(id) === abortable) this.#byId.delete(id);
    }
  }

  /**
   * Stops the request whose answer failed with `reason`: the one `requestId` names, else (an
   * answer not tied to a known request) every request, when `everyOtherwise`.
   */
  fail(requestId: string | null, reason: unknown, everyOtherwise: boolean): void {
    const owner = requestId === null ? undefined : this.#byId.get(requestId);
    if (owner !== undefined) {
      owner.abort(reason);
      return;
    }
    if (!everyOtherwise) return;
    for (const abortable of [...this.#all]) abortable.abort(reason);
  }
}
