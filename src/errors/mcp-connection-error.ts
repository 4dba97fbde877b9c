/** What went wrong reaching an MCP server, as `McpConnectionError.kind` and the 424's `code`. */
export type McpFailureKind =
  "http" | "timeout" | "connection" | "protocol" | "blocked" | "too_large";

/**
 * The 424 `code` that says what happened (issue 11 §8): OpenAI's `http_error` when the server
 * answered with an HTTP error status (reference §5.3), a code of its own for everything else.
 */
export const MCP_FAILURE_CODES: Readonly<Record<McpFailureKind, string>> = {
  http: "http_error",
  timeout: "timeout",
  connection: "connection_failed",
  protocol: "protocol_error",
  blocked: "egress_blocked",
  too_large: "response_too_large",
};

/**
 * An MCP server could not be connected to or could not list its tools. Not an HTTP error by
 * itself: `toApiError` maps it to 424 `external_connector_error` (reference §5.3, PRODUCT.md §8.5).
 */
export class McpConnectionError extends Error {
  /** Upstream HTTP status when there was one (e.g. 401); null for refused connections or timeouts. */
  readonly status: number | null;
  readonly kind: McpFailureKind;

  constructor(
    message: string,
    init: { status?: number | null; kind: McpFailureKind; cause?: unknown },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "McpConnectionError";
    this.status = init.status ?? null;
    this.kind = init.kind;
  }

  get code(): string {
    return MCP_FAILURE_CODES[this.kind];
  }
}
