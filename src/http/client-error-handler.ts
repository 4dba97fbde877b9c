/**
 * Requests Node's HTTP parser rejects before any route runs (bad header bytes, oversized head,
 * conflicting framing) still get OpenAI's error envelope instead of a bare status line
 * (non-negotiable 3; found by the fuzz suite). The connection is closed afterwards.
 */
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { ApiError } from "../errors/api-error.js";

export function handleClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const apiError = new ApiError({
    status: tooLarge ? 431 : 400,
    type: "invalid_request_error",
    code: tooLarge ? "headers_too_large" : "malformed_request",
    message: tooLarge ? "Request headers are too large." : "Malformed HTTP request.",
  });
  const body = JSON.stringify(apiError.toEnvelope());
  socket.end(
    `HTTP/1.1 ${apiError.status} ${STATUS_CODES[apiError.status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
