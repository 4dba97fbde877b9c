/**
 * An MCP Registry could not be read (HTTP error, timeout, unreachable, garbage body). Not an HTTP
 * error by itself: resolution maps it to 424 `registry_unavailable`, a forced sync to 502
 * `registry_error` (PRODUCT.md §8.16).
 */
export class RegistryError extends Error {
  readonly status: number | null;
  readonly kind: "http" | "timeout" | "connection" | "protocol" | "too_large";

  constructor(
    message: string,
    init: { status?: number | null; kind: RegistryError["kind"]; cause?: unknown },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "RegistryError";
    this.status = init.status ?? null;
    this.kind = init.kind;
  }
}
