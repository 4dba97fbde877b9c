import { McpConnectionError } from "../errors/mcp-connection-error.js";
import type { McpFailure } from "./describe-mcp-failure.js";

/** A connect or `tools/list` failure as the domain error `toApiError` turns into 424 (reference §5.3). */
export function toMcpConnectionError(failure: McpFailure, cause: unknown): McpConnectionError {
  return new McpConnectionError(failure.message, {
    status: failure.kind === "http" ? failure.status : null,
    kind: failure.kind,
    cause,
  });
}
