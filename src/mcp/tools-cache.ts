import type { McpToolDescriptor } from "./mcp-client.js";

export interface ToolsCacheOptions {
  ttlMs: number;
  /** Clock in ms; injectable so tests can pass the TTL without sleeping. */
  now: () => number;
}

/** A server's `ttlMs` is honoured up to a day. */
const MAX_SERVER_TTL_MS = 24 * 60 * 60 * 1_000;
/** Past this many entries, expired ones are swept on write (keys include user-supplied URLs). */
const SWEEP_THRESHOLD = 1_000;

/**
 * Short-lived `tools/list` results shared across leases and responses, keyed like the pool
 * (url, transport, credentials hash) so one caller's listing never serves another's token.
 */
export class ToolsCache {
  readonly #options: ToolsCacheOptions;
  readonly #entries = new Map<string, { tools: McpToolDescriptor[]; expiresAt: number }>();

  constructor(options: ToolsCacheOptions) {
    this.#options = options;
  }

  get(key: string): McpToolDescriptor[] | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    if (entry.expiresAt <= this.#options.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return [...entry.tools];
  }

  /**
   * `serverTtlMs` is the server's own `ttlMs` (2026-07-28): it wins over the configured TTL, and
   * 0 means "do not reuse"; past `MAX_SERVER_TTL_MS` it is capped so a listing is refreshed daily.
   */
  set(key: string, tools: McpToolDescriptor[], serverTtlMs: number | null = null): void {
    const ttlMs =
      serverTtlMs === null ? this.#options.ttlMs : Math.min(serverTtlMs, MAX_SERVER_TTL_MS);
    if (ttlMs <= 0) {
      this.#entries.delete(key);
      return;
    }
    const now = this.#options.now();
    if (this.#entries.size >= SWEEP_THRESHOLD) {
      for (const [entryKey, entry] of this.#entries) {
        if (entry.expiresAt <= now) {
          this.#entries.delete(entryKey);
        }
      }
    }
    this.#entries.set(key, { tools, expiresAt: now + ttlMs });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
