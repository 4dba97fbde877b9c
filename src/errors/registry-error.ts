/**
 * An MCP Registry could not be read (HTTP error, timeout, unreachable, garbage body). Not an HTTP
 * error by itself: resolution maps it to 424 `registry_unavailable`, a forced sync and `toApiError`
 * to 502 `registry_error` (PRODUCT.md §8.16).
 */
export class RegistryError extends Error {
  readonly status: number | null;
  readonly kind: "http" | "timeout" | "connection" | "protocol" | "too_large";
  /**
   * When Patchbay will ask the registry again (epoch ms), for a failure it remembers so that a
   * burst of lookups fails at once instead of each retrying; null when the next lookup retries.
   */
  readonly retryAt: number | null;

  constructor(
    message: string,
    init: {
      status?: number | null;
      kind: RegistryError["kind"];
      retryAt?: number | null;
      cause?: unknown;
    },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "RegistryError";
    this.status = init.status ?? null;
    this.kind = init.kind;
    this.retryAt = init.retryAt ?? null;
  }

  /** The registry itself is unavailable (down, slow, overloaded), not this one name or answer. */
  get isOutage(): boolean {
    return (
      this.kind === "timeout" ||
      this.kind === "connection" ||
      this.status === 429 ||
      (this.status ?? 0) >= 500
    );
  }

  /** Whole seconds until `retryAt` (at least 1), for a `Retry-After`; null when not remembered. */
  retryAfterSeconds(now = Date.now()): number | null {
    return this.retryAt === null ? null : Math.max(1, Math.ceil((this.retryAt - now) / 1000));
  }
}
