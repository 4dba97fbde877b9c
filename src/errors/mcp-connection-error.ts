/**
 * An MCP server could not be connected to or could not list its tools. Not an HTTP error by
 * itself: `toApiError` maps it to 424 `external_connector_error` (reference §5.3, PRODUCT.md §8.5).
 */
export class McpConnectionError extends Error {
  /** Upstream HTTP status when there was one (e.g. 401); null for refused connections or timeouts. */
  readonly status: number | null;
  readonly kind: "http" | "timeout" | "connection" | "protocol";

  constructor(
    message: string,
    init: {
      status?: number | null;
      kind: "http" | "timeout" | "connection" | "protocol";
      cause?: unknown;
    },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "McpConnectionError";
    this.status = init.status ?? null;
    this.kind = init.kind;
  }
}
