/** The `server.mcp` limit that a peer's answer exceeded (PRODUCT.md §9.1). */
export type McpLimit = "max_message_bytes" | "max_tool_result_bytes" | "max_tools_list_bytes";

/**
 * An MCP server sent more than a configured limit allows: one message, one tool result, one SSE
 * event or one whole tool listing. The read stops there (its connection is closed, the session is
 * not reused) and the call fails with a message naming the limit; `describeMcpFailure` turns it
 * into the `too_large` failure.
 */
export class McpLimitExceededError extends Error {
  readonly limit: McpLimit;
  readonly maxBytes: number;

  constructor(what: string, limit: McpLimit, maxBytes: number) {
    super(`${what} exceeds server.mcp.${limit} (${maxBytes} bytes)`);
    this.name = "McpLimitExceededError";
    this.limit = limit;
    this.maxBytes = maxBytes;
  }
}
