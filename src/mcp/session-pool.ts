/** What the pool needs from a session. */
export interface PoolableSession {
  /** True once the session saw a transport failure; it is then closed instead of reused. */
  readonly broken: boolean;
  close(): Promise<void>;
}

export interface SessionPoolOptions {
  idleTimeoutMs: number;
  /** Sessions per key at most; beyond that, concurrent leases share the least-loaded one. */
  maxSessionsPerKey: number;
}

interface Entry<S> {
  session: S;
  leases: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Keeps connected MCP sessions between responses so a turn does not pay connect + initialize
 * (~130 ms, dependencies-node20.md §3) every time. An MCP session multiplexes requests (JSON-RPC
 * ids), so concurrent responses share sessions: a new one is connected only while every open
 * session of the key is busy and fewer than `maxSessionsPerKey` exist (or are connecting);
 * otherwise the least-loaded one is shared. Under load this bounds sessions per server instead of
 * opening one per response and closing it again (the churn the soak benchmark exposed). Idle
 * sessions close after `idleTimeoutMs` on unref'd timers; `closeAll` leaves no socket behind.
 */
export class SessionPool<S extends PoolableSession> {
  readonly #options: SessionPoolOptions;
  readonly #byKey = new Map<string, Array<Entry<S>>>();
  readonly #connecting = new Map<string, Array<Promise<S>>>();
  readonly #keyOf = new Map<S, string>();
  /** Sessions of retired keys still leased: closed when their last lease ends. */
  readonly #retired = new Map<S, Entry<S>>();
  #closed = false;

  constructor(options: SessionPoolOptions) {
    this.#options = options;
  }

  /** Number of sessions open (leased or idle). */
  get size(): number {
    return this.#keyOf.size + this.#retired.size;
  }

  /**
   * A session for one lease: an idle or shareable one, one being connected, or a new one from
   * `connect` (adopted with this lease). Rejects like `connect` when that fails.
   */
  async lease(key: string, connect: () => Promise<S>): Promise<S> {
    const entries = (this.#byKey.get(key) ?? []).filter((entry) => !entry.session.broken);
    const leastLoaded = entries.reduce<Entry<S> | undefined>(
      (best, entry) => (best === undefined || entry.leases < best.leases ? entry : best),
      undefined,
    );
    const connecting = this.#connecting.get(key) ?? [];
    const canGrow = entries.length + connecting.length < this.#options.maxSessionsPerKey;
    if (leastLoaded && (leastLoaded.leases === 0 || !canGrow)) return this.#hold(leastLoaded);
    if (!canGrow && connecting.length > 0) {
      const session = await connecting[connecting.length - 1]!;
      const entry = this.#entry(session);
      if (entry && !session.broken) return this.#hold(entry);
    }
    const pending = connect();
    this.#connecting.set(key, [...connecting, pending]);
    try {
      const session = await pending;
      if (this.#closed) {
        await session.close();
        throw new Error("The MCP session pool was closed while connecting");
      }
      const entry: Entry<S> = { session, leases: 0, timer: undefined };
      this.#byKey.set(key, [...(this.#byKey.get(key) ?? []), entry]);
      this.#keyOf.set(session, key);
      return this.#hold(entry);
    } finally {
      const left = (this.#connecting.get(key) ?? []).filter((candidate) => candidate !== pending);
      if (left.length === 0) this.#connecting.delete(key);
      else this.#connecting.set(key, left);
    }
  }

  /** Ends one lease; a session nobody holds starts its idle timer, or closes if it broke. */
  async release(session: S): Promise<void> {
    const retired = this.#retired.get(session);
    if (retired) {
      retired.leases = Math.max(0, retired.leases - 1);
      if (retired.leases > 0) return;
      this.#retired.delete(session);
      await session.close();
      return;
    }
    const entry = this.#entry(session);
    if (!entry) {
      await session.close();
      return;
    }
    entry.leases = Math.max(0, entry.leases - 1);
    if (entry.leases > 0) return;
    if (this.#closed || session.broken) {
      await this.#remove(session);
      return;
    }
    entry.timer = setTimeout(() => void this.evictIdle(session), this.#options.idleTimeoutMs);
    entry.timer.unref();
  }

  /** Closes `session` if no lease holds it (idle time ran out, or it broke while idle). */
  async evictIdle(session: S): Promise<void> {
    const entry = this.#entry(session);
    if (entry && entry.leases === 0) await this.#remove(session);
  }

  /**
   * Stops sharing `key`'s sessions (their credentials were superseded): idle ones close now,
   * leased ones when their last lease ends, and the next lease of `key` connects anew.
   */
  async retire(key: string): Promise<void> {
    const entries = this.#byKey.get(key) ?? [];
    this.#byKey.delete(key);
    const idle: S[] = [];
    for (const entry of entries) {
      clearTimeout(entry.timer);
      this.#keyOf.delete(entry.session);
      if (entry.leases === 0) idle.push(entry.session);
      else this.#retired.set(entry.session, entry);
    }
    await Promise.all(idle.map((session) => session.close()));
  }

  /** Closes every session, leased ones included; later leases fail. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    const retired = [...this.#retired.keys()];
    this.#retired.clear();
    await Promise.all([
      ...[...this.#keyOf.keys()].map((session) => this.#remove(session)),
      ...retired.map((session) => session.close()),
    ]);
  }

  #hold(entry: Entry<S>): S {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.leases += 1;
    return entry.session;
  }

  #entry(session: S): Entry<S> | undefined {
    const key = this.#keyOf.get(session);
    return key === undefined
      ? undefined
      : this.#byKey.get(key)?.find((entry) => entry.session === session);
  }

  async #remove(session: S): Promise<void> {
    const key = this.#keyOf.get(session);
    if (key !== undefined) {
      const entries = (this.#byKey.get(key) ?? []).filter((entry) => {
        if (entry.session !== session) return true;
        clearTimeout(entry.timer);
        return false;
      });
      if (entries.length === 0) this.#byKey.delete(key);
      else this.#byKey.set(key, entries);
      this.#keyOf.delete(session);
    }
    await session.close();
  }
}
