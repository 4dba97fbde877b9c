/**
 * How the test peers (scripted model, MCP fixture, registry fixture) write a whole answer: JSON
 * or text with an exact `content-length`, or chunked when a test wants the size unknown.
 */
import { once } from "node:events";
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

/**
 * Writes `first`, then `body` forever, with backpressure, until the client goes away (a hostile
 * peer's endless answer). One `close` listener for the whole stream, not one per wait for `drain`.
 * `onWrite` is told the bytes of each write.
 */
export async function writeForever(
  response: ServerResponse,
  first: string,
  body: Buffer,
  onWrite: (bytes: number) => void = () => undefined,
): Promise<void> {
  const write = (data: string | Buffer): boolean => {
    onWrite(Buffer.byteLength(data));
    return response.write(data);
  };
  write(first);
  const gone = once(response, "close").then(
    () => false,
    () => false,
  );
  while (!response.destroyed) {
    if (write(body)) continue;
    const drained = once(response, "drain").then(
      () => true,
      () => false,
    );
    if (!(await Promise.race([drained, gone]))) return;
  }
}
