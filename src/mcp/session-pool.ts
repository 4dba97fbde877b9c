/** What the pool needs from a session. */
export interface PoolableSession {
  /** True once the session saw a transport failure; it is then closed instead of reused. */
  readonly broken: boolean;
  close(): Promise<void>;
}

export interface SessionPoolOptions {
  idleTimeoutMs: number;
  maxIdlePerKey: number;
}

interface IdleEntry<S> {
  session: S;
  timer: NodeJS.Timeout;
}

/**
 * Keeps connected MCP sessions between responses so a turn does not pay connect + initialize
 * (~130 ms, dependencies-node20.md §3) every time. A session is either leased (owned by one
 * caller, never shared) or idle under its key; idle ones close after `idleTimeoutMs` (timers are
 * unref'd so they never keep the process alive). Every live session is tracked so `closeAll`
 * leaves no sockets behind, leased or not.
 */
export class SessionPool<S extends PoolableSession> {
  readonly #options: SessionPoolOptions;
  readonly #idle = new Map<string, Array<IdleEntry<S>>>();
  readonly #live = new Set<S>();
  #closed = false;

  constructor(options: SessionPoolOptions) {
    this.#options = options;
  }

  /** Number of sessions open, leased or idle. */
  get size(): number {
    return this.#live.size;
  }

  /** Registers a freshly connected session as leased; false (not registered) once the pool is closed. */
  adopt(session: S): boolean {
    if (this.#closed) {
      return false;
    }
    this.#live.add(session);
    return true;
  }

  /** Leases the most recently used healthy idle session of `key`, if any. */
  take(key: string): S | undefined {
    const entries = this.#idle.get(key);
    while (entries !== undefined && entries.length > 0) {
      const entry = entries.pop();
      if (entry === undefined) {
        break;
      }
      clearTimeout(entry.timer);
      if (!entry.session.broken) {
        this.#dropEmpty(key);
        return entry.session;
      }
      void this.#closeSession(entry.session);
    }
    this.#dropEmpty(key);
    return undefined;
  }

  /** Ends a lease: back to the idle list, or closed if broken, surplus or the pool is closed. */
  async release(key: string, session: S): Promise<void> {
    const entries = this.#idle.get(key) ?? [];
    if (
      this.#closed ||
      session.broken ||
      !this.#live.has(session) ||
      entries.length >= this.#options.maxIdlePerKey
    ) {
      await this.#closeSession(session);
      return;
    }
    const timer = setTimeout(() => void this.evictIdle(session), this.#options.idleTimeoutMs);
    timer.unref();
    entries.push({ session, timer });
    this.#idle.set(key, entries);
  }

  /**
   * Closes `session` if it is idle (its idle time ran out, or it broke while idle). A leased
   * session is left to its holder, whose `release` closes it if it is broken by then.
   */
  async evictIdle(session: S): Promise<void> {
    for (const [key, entries] of this.#idle) {
      const index = entries.findIndex((entry) => entry.session === session);
      if (index < 0) {
        continue;
      }
      const [entry] = entries.splice(index, 1);
      if (entry !== undefined) {
        clearTimeout(entry.timer);
      }
      this.#dropEmpty(key);
      await this.#closeSession(session);
      return;
    }
  }

  /** Closes every session, leased ones included; later adopts and releases close at once. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    for (const entries of this.#idle.values()) {
      for (const entry of entries) {
        clearTimeout(entry.timer);
      }
    }
    this.#idle.clear();
    await Promise.all([...this.#live].map((session) => this.#closeSession(session)));
  }

  async #closeSession(session: S): Promise<void> {
    this.#live.delete(session);
    await session.close();
  }

  #dropEmpty(key: string): void {
    if (this.#idle.get(key)?.length === 0) {
      this.#idle.delete(key);
    }
  }
}
