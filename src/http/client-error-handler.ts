/**
 * Requests Node's HTTP parser rejects before any route runs (bad header bytes, oversized head,
 * conflicting framing) still get OpenAI's error envelope instead of a bare status line
 * (non-negotiable 3; found by the fuzz suite). The connection is closed afterwards.
 */
import type { Duplex } from "node:stream";

export function handleClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request";
  const body = JSON.stringify({
    error: {
      message: tooLarge ? "Request headers are too large." : "Malformed HTTP request.",
      type: "invalid_request_error",
      param: null,
      code: tooLarge ? "headers_too_large" : "malformed_request",
    },
  });
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
