import { STATUS_CODES } from "node:http";
import { SseError } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { DeadlineExceededError } from "../lib/deadline.js";
import { EgressBlockedError } from "../errors/egress-blocked-error.js";
import { McpLimitExceededError } from "./mcp-limit-exceeded-error.js";

/**
 * What went wrong talking to an MCP server, in the terms both callers need: `McpConnectionError`
 * (listing, 424) and the structured `mcp_call.error` (reference §2.2). Messages follow OpenAI's
 * wording (`Http status code: 401 (Unauthorized)`, `Reason: …`, reference §5.3) so the 424 message
 * reads "Error retrieving tool list from MCP server: 'x'. <message>".
 */
export type McpFailure =
  | { kind: "http"; status: number; message: string }
  | { kind: "timeout"; message: string }
  | { kind: "connection"; message: string }
  /** The egress policy refused the address a guarded connection resolved to. */
  | { kind: "blocked"; message: string }
  /** The server's answer exceeded a `server.mcp` limit. */
  | { kind: "too_large"; message: string }
  /** `code` is the JSON-RPC error code the server sent; null for a response we could not parse. */
  | { kind: "protocol"; code: number | null; message: string };

export interface FailureContext {
  timeoutMs: number;
  /** The session's transport had closed when the request failed (SDK "Connection closed"). */
  transportClosed: boolean;
}

const NetworkCauseSchema = z.looseObject({ code: z.string() });
const SdkTimeoutDataSchema = z.looseObject({ timeout: z.number() });
const LegacyPostStatusPattern = /\(HTTP (\d{3})\)/;
const McpErrorPrefixPattern = /^MCP error -?\d+: /;
/** Node/undici network error codes, found in messages that lost their `cause` (legacy SSE errors). */
const NetworkCodePattern =
  /\b(?:ECONN[A-Z]+|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|UND_ERR_[A-Z_]+)\b/;

/** Classifies anything the SDK (or our deadline) threw. Never throws. */
export function describeMcpFailure(error: unknown, context: FailureContext): McpFailure {
  const timedOut: McpFailure = {
    kind: "timeout",
    message: `Reason: timed out after ${context.timeoutMs} ms`,
  };
  if (error instanceof DeadlineExceededError) {
    return timedOut;
  }
  const ours = ownCause(error);
  if (ours instanceof McpLimitExceededError) {
    return { kind: "too_large", message: `Reason: ${ours.message}` };
  }
  if (ours instanceof EgressBlockedError) {
    return { kind: "blocked", message: `Reason: ${ours.message}` };
  }
  if (error instanceof McpError) {
    return describeMcpError(error, context, timedOut);
  }
  if (error instanceof StreamableHTTPError || error instanceof SseError) {
    const status = error.code;
    if (status !== undefined && status >= 100 && status <= 599) {
      return httpFailure(status);
    }
    if (error instanceof StreamableHTTPError) {
      return {
        kind: "protocol",
        code: null,
        message: `Reason: invalid response from MCP server (${error.message})`,
      };
    }
    return connectionFailure(error);
  }
  if (error instanceof z.core.$ZodError) {
    return { kind: "protocol", code: null, message: "Reason: invalid response from MCP server" };
  }
  if (error instanceof Error) {
    const legacyStatus = LegacyPostStatusPattern.exec(error.message)?.[1];
    if (legacyStatus !== undefined) {
      return httpFailure(Number(legacyStatus));
    }
    if (error.message.includes("protocol version")) {
      return { kind: "protocol", code: null, message: `Reason: ${error.message}` };
    }
  }
  return connectionFailure(error);
}

/**
 * Our own refusal (a limit, the egress policy) somewhere in the cause chain: the SDK passes a
 * failed fetch through as is, but may wrap it (a connect abort carries our reason as its cause).
 */
function ownCause(error: unknown): unknown {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current instanceof McpLimitExceededError || current instanceof EgressBlockedError)
      return current;
    current = current.cause;
  }
  return null;
}

/** The server's own JSON-RPC message, without the SDK's "MCP error -32602: " prefix. */
export function serverMessageOf(error: McpError): string {
  return error.message.replace(McpErrorPrefixPattern, "");
}

function describeMcpError(
  error: McpError,
  context: FailureContext,
  timedOut: McpFailure,
): McpFailure {
  if (
    error.code === Number(ErrorCode.RequestTimeout) &&
    SdkTimeoutDataSchema.safeParse(error.data).success
  ) {
    return timedOut;
  }
  if (error.code === Number(ErrorCode.ConnectionClosed) && context.transportClosed) {
    return { kind: "connection", message: "Reason: connection to MCP server closed" };
  }
  return { kind: "protocol", code: error.code, message: serverMessageOf(error) };
}

function httpFailure(status: number): McpFailure {
  return {
    kind: "http",
    status,
    message: `Http status code: ${status} (${STATUS_CODES[status] ?? "Unknown"})`,
  };
}

function connectionFailure(error: unknown): McpFailure {
  if (!(error instanceof Error)) {
    return { kind: "connection", message: `Reason: connection failed (${String(error)})` };
  }
  const cause = NetworkCauseSchema.safeParse(error.cause);
  const code = cause.success ? cause.data.code : NetworkCodePattern.exec(error.message)?.[0];
  return { kind: "connection", message: `Reason: connection failed (${code ?? error.message})` };
}
