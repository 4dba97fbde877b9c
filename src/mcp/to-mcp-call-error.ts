import type { McpFailure } from "./describe-mcp-failure.js";
import type { McpToolCallError } from "./mcp-client.js";

const GATEWAY_TIMEOUT = 504;
const BAD_GATEWAY = 502;
const FORBIDDEN = 403;

/**
 * A failed `tools/call` as model input (STYLE.md: "A failed tool call is model input"): a JSON-RPC
 * error → `mcp_protocol_error`; an HTTP status → `http_error` with it; a timeout → `http_error`
 * 504; the egress policy's refusal → 403; anything else at the transport level (refused, reset,
 * unreadable or oversized reply) → `http_error` 502. The message says which.
 */
export function toMcpCallError(failure: McpFailure): McpToolCallError {
  switch (failure.kind) {
    case "protocol":
      return failure.code === null
        ? { type: "http_error", code: BAD_GATEWAY, message: failure.message }
        : { type: "mcp_protocol_error", code: failure.code, message: failure.message };
    case "http":
      return { type: "http_error", code: failure.status, message: failure.message };
    case "timeout":
      return { type: "http_error", code: GATEWAY_TIMEOUT, message: failure.message };
    case "blocked":
      return { type: "http_error", code: FORBIDDEN, message: failure.message };
    case "connection":
    case "too_large":
      return { type: "http_error", code: BAD_GATEWAY, message: failure.message };
  }
}
