import { STATUS_CODES } from "node:http";
import {
  ProtocolError,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  SseError as ModernSseError,
} from "@modelcontextprotocol/client";
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
  const modern = describeModernError(error, context, timedOut);
  if (modern !== null) return modern;
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

/**
 * Whether `error` was made by one of the SDK 2.x classes. Not `instanceof`: those classes answer it
 * by a structural brand that other errors (the 1.x SDK's, Node's) can satisfy.
 */
function madeBy<T extends abstract new (...args: never[]) => Error>(
  error: unknown,
  type: T,
): error is InstanceType<T> {
  return error instanceof Error && Object.prototype.isPrototypeOf.call(type.prototype, error);
}

/** The SDK 2.x client's errors (2026-07-28 sessions and the `server/discover` probe). */
function describeModernError(
  error: unknown,
  context: FailureContext,
  timedOut: McpFailure,
): McpFailure | null {
  if (madeBy(error, ProtocolError)) {
    return {
      kind: "protocol",
      code: error.code,
      message: error.message.replace(McpErrorPrefixPattern, ""),
    };
  }
  if (madeBy(error, SdkHttpError) || madeBy(error, ModernSseError)) {
    const status = madeBy(error, SdkHttpError) ? error.status : error.code;
    if (status !== undefined && status >= 100 && status <= 599) return httpFailure(status);
    return connectionFailure(error);
  }
  if (!madeBy(error, SdkError)) return null;
  const code = error.code;
  if (code === SdkErrorCode.EraNegotiationFailed && error.cause !== undefined) {
    // The probe's own failure (refused, 4xx, timeout) is the cause; the wrapper says nothing more.
    return describeMcpFailure(error.cause, context);
  }
  if (code === SdkErrorCode.RequestTimeout) return timedOut;
  if (code === SdkErrorCode.ConnectionClosed && context.transportClosed) {
    return { kind: "connection", message: "Reason: connection to MCP server closed" };
  }
  if (
    code === SdkErrorCode.UnsupportedResultType ||
    code === SdkErrorCode.InputRequiredRoundsExceeded
  ) {
    return {
      kind: "protocol",
      code: null,
      message:
        "Reason: the MCP server asked for input during the call, which Patchbay does not provide",
    };
  }
  if (
    code === SdkErrorCode.SendFailed ||
    code === SdkErrorCode.NotConnected ||
    code === SdkErrorCode.ConnectionClosed ||
    code === SdkErrorCode.EraNegotiationFailed
  ) {
    return connectionFailure(error.cause ?? error);
  }
  return {
    kind: "protocol",
    code: null,
    message: `Reason: invalid response from MCP server (${error.message})`,
  };
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
