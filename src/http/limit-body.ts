/**
 * The request-size limit (PRODUCT.md §7) without materialising a web `Request` when it need not:
 * a `Content-Length` is checked from the header alone, so the JSON body is then read straight off
 * the socket by @hono/node-server's fast path. Hono's `bodyLimit`, which counts the bytes as they
 * stream, handles only chunked bodies; touching `c.req.raw.body` up front built a Request, an
 * AbortSignal and a ReadableStream for every call (bench/mcp-overhead.ts).
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../errors/api-error.js";

/** The 413 for a body over `server.max_body_bytes`. */
export function requestTooLarge(maxBytes: number): ApiError {
  return new ApiError({
    status: 413,
    type: "invalid_request_error",
    code: "request_too_large",
    message: `Request body exceeds ${maxBytes} bytes (server.max_body_bytes).`,
    // The unread rest of the body is still on the socket: close it rather than reuse it.
    headers: { connection: "close" },
  });
}

export function limitBody(maxBytes: number, tooLarge: () => never): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    // No route reads the body of a GET or HEAD.
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      // Node's HTTP parser has already refused a malformed Content-Length.
      if (Number(length) > maxBytes) tooLarge();
      return next();
    }
    // Chunked, or an in-process Request with no length: count the bytes.
    return streamed(c, next);
  };
}
