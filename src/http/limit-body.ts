/**
 * The request-size limit (PRODUCT.md §7) without materialising a web `Request` when it need not:
 * a `Content-Length` is checked from the header alone, so the JSON body is then read straight off
 * the socket by @hono/node-server's fast path. Hono's `bodyLimit`, which counts the bytes as they
 * stream, handles only chunked bodies; touching `c.req.raw.body` up front built a Request, an
 * AbortSignal and a ReadableStream for every call (bench/mcp-overhead.ts).
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

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
