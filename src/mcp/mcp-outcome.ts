/**
 * How an MCP exchange ended, in the telemetry port's bounded terms (ADR 0026): from a connect or
 * listing failure (`McpConnectionError`) or from a `tools/call` outcome.
 */
import { McpConnectionError } from "../errors/mcp-connection-error.js";
import type { McpOutcome } from "../observability/telemetry.js";
import type { McpCallOutcome } from "./mcp-client.js";

/** The HTTP statuses that say "credentials needed or refused" (401, 403, proxy 407). */
const AUTH_STATUSES = new Set([401, 403, 407]);
const GATEWAY_TIMEOUT = 504;
const BAD_GATEWAY = 502;

/** Null for anything that is not an MCP failure (a bug, an abort): the caller decides. */
export function outcomeOfFailure(error: unknown): McpOutcome | null {
  if (!(error instanceof McpConnectionError)) return null;
  switch (error.kind) {
    case "http":
      return error.status !== null && AUTH_STATUSES.has(error.status)
        ? "auth_required"
        : "http_error";
    case "timeout":
      return "timeout";
    case "connection":
      return "connection_failed";
    case "protocol":
      return "protocol_error";
    case "blocked":
      return "blocked";
    case "too_large":
      return "too_large";
  }
}

/** `toMcpCallError` folded timeouts and transport failures into `http_error` codes; unfold them. */
export function outcomeOfCall(outcome: McpCallOutcome): McpOutcome {
  if (outcome.ok) return "ok";
  const { error } = outcome;
  switch (error.type) {
    case "mcp_tool_execution_error":
      return "tool_error";
    case "mcp_protocol_error":
      return "protocol_error";
    case "http_error":
      if (AUTH_STATUSES.has(error.code)) return "auth_required";
      if (error.code === GATEWAY_TIMEOUT) return "timeout";
      if (error.code === BAD_GATEWAY) return "connection_failed";
      return "http_error";
  }
}

/** The message of a failed call, for health's `last_error`; null on success. */
export function messageOfCall(outcome: McpCallOutcome): string | null {
  if (outcome.ok) return null;
  const { error } = outcome;
  return error.type === "mcp_tool_execution_error" ? "The tool reported an error." : error.message;
}
