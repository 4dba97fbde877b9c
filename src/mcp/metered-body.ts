import { SseEventMeter } from "../lib/sse-event-meter.js";
import { McpLimitExceededError } from "./mcp-limit-exceeded-error.js";

/** What one MCP answer may hold (`server.mcp.*`, PRODUCT.md §9.1). */
export interface McpBodyLimits {
  /** A POST's whole answer (JSON or SSE) to anything but `tools/call`; one event of a GET stream. */
  maxMessageBytes: number;
  /** A POST's whole answer to `tools/call`. */
  maxToolResultBytes: number;
  /** The GET stream carries the answers (legacy SSE): its events may be tool results. */
  eventStreamCarriesResults: boolean;
}

/** Which limit applies to one body, and who hears of an overflow (before the stream errors). */
export interface BodyCheck {
  isGet: boolean;
  /** The JSON-RPC method the POST carried. */
  method: string | null;
  limits: McpBodyLimits;
  onExceeded: (error: McpLimitExceededError) => void;
}

/**
 * Throws `McpLimitExceededError` from `check(chunk)` once the body passes its limit: a POST's
 * whole answer (by `content-length` at once when it declares one), and for event streams each SSE
 * event. A GET stream lives as long as the session, so only its events are bounded.
 */
function chunkCheck(
  headers: Headers,
  { isGet, method, limits, onExceeded }: BodyCheck,
): (chunk: Uint8Array) => void {
  const isToolCall = method === "tools/call";
  const exceeded = (error: McpLimitExceededError): never => {
    onExceeded(error);
    throw error;
  };
  if (isGet) {
    const limit = limits.eventStreamCarriesResults ? "max_tool_result_bytes" : "max_message_bytes";
    const maxBytes = limits.eventStreamCarriesResults
      ? Math.max(limits.maxMessageBytes, limits.maxToolResultBytes)
      : limits.maxMessageBytes;
    const events = new SseEventMeter();
    return (chunk) => {
      if (events.add(chunk) > maxBytes)
        exceeded(new McpLimitExceededError("An event from the MCP server", limit, maxBytes));
    };
  }
  const limit = isToolCall ? "max_tool_result_bytes" : "max_message_bytes";
  const maxBytes = isToolCall ? limits.maxToolResultBytes : limits.maxMessageBytes;
  const what = `The MCP server's answer to ${method ?? "a request"}`;
  let total = Number(headers.get("content-length") ?? "0");
  if (total > maxBytes) {
    const error = new McpLimitExceededError(what, limit, maxBytes);
    return () => exceeded(error);
  }
  total = 0;
  return (chunk) => {
    total += chunk.byteLength;
    if (total > maxBytes) exceeded(new McpLimitExceededError(what, limit, maxBytes));
  };
}

/**
 * Passes `body` through unchanged, checking every chunk against `limit` (an overflow errors the
 * stream with `McpLimitExceededError` and cancels the source, which destroys the connection:
 * nothing more is read or buffered) and calling `finish` once when it ends, fails or is cancelled.
 */
export function meteredBody(
  body: ReadableStream<Uint8Array>,
  headers: Headers,
  finish: () => void,
  limit: BodyCheck | undefined,
): ReadableStream<Uint8Array> {
  const check = limit === undefined ? undefined : chunkCheck(headers, limit);
  const reader = body.getReader();
  let finished = false;
  const finishOnce = (): void => {
    if (!finished) {
      finished = true;
      finish();
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        finishOnce();
        controller.error(error);
        return;
      }
      if (chunk.done) {
        finishOnce();
        controller.close();
        return;
      }
      try {
        check?.(chunk.value);
      } catch (error) {
        reader.cancel(error).catch(() => undefined);
        finishOnce();
        controller.error(error);
        return;
      }
      controller.enqueue(chunk.value);
    },
    async cancel(reason) {
      finishOnce();
      await reader.cancel(reason);
    },
  });
}
