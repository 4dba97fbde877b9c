/**
 * How the test peers (scripted model, MCP fixture, registry fixture) write a whole answer: JSON
 * or text with an exact `content-length`, or chunked when a test wants the size unknown.
 */
import type { ServerResponse } from "node:http";

/** Test-server answers with an exact `content-length` (JSON by default). */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(response, status, JSON.stringify(body), {
    "content-type": "application/json",
    ...headers,
  });
}

export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string>,
): void {
  response.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(text)) });
  response.end(text);
}

/** Without `content-length`, in 1 KiB writes: the client only learns the size by counting. */
export function sendChunked(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string>,
): void {
  response.writeHead(status, headers);
  for (let offset = 0; offset < text.length; offset += 1024) {
    response.write(text.slice(offset, offset + 1024));
  }
  response.end();
}
