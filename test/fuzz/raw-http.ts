/**
 * HTTP/1.1 over a bare `net.Socket`, for requests `fetch` refuses to send: any method, a path
 * exactly as written (`%2e%2e`, `%ZZ`), control characters and CRLF in header values, invalid
 * UTF-8 bodies. One connection per request (`Connection: close`); the answer is read to the end.
 * The client never half-closes: Node aborts a request whose client sent FIN, which would hide
 * slow answers.
 */
import { connect } from "node:net";
import { ANSWER_TIMEOUT_MS, type HttpAnswer } from "./http-answer.js";

export interface RawRequest {
  method: string;
  /** Sent verbatim as the request target. */
  target: string;
  /** Sent verbatim, in order; `Host` and `Connection: close` are added unless present. */
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: string | Buffer;
}

/** Builds the request bytes; `Content-Length` is added when there is a body and none is given. */
export function encodeRawRequest(port: number, request: RawRequest): Buffer {
  const headers = [...(request.headers ?? [])];
  const has = (name: string) => headers.some(([key]) => key.toLowerCase() === name);
  const body = typeof request.body === "string" ? Buffer.from(request.body) : request.body;
  if (!has("host")) headers.unshift(["Host", `127.0.0.1:${port}`]);
  if (!has("connection")) headers.push(["Connection", "close"]);
  if (body !== undefined && !has("content-length") && !has("transfer-encoding")) {
    headers.push(["Content-Length", String(body.length)]);
  }
  const head = `${request.method} ${request.target} HTTP/1.1\r\n${headers
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), body ?? Buffer.alloc(0)]);
}

/** Sends the request and parses the answer; rejects on a hang or when nothing comes back. */
export function sendRaw(port: number, request: RawRequest | Buffer): Promise<HttpAnswer> {
  const bytes = Buffer.isBuffer(request) ? request : encodeRawRequest(port, request);
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.setTimeout(ANSWER_TIMEOUT_MS, () =>
      socket.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms (hang)`)),
    );
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error) => {
      if (chunks.length === 0) reject(error);
    });
    socket.on("close", () => {
      try {
        resolve(parseRawAnswer(Buffer.concat(chunks)));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.write(bytes);
  });
}

/** Parses one HTTP/1.1 answer (identity or chunked body). */
export function parseRawAnswer(bytes: Buffer): HttpAnswer {
  const end = bytes.indexOf("\r\n\r\n");
  if (end === -1)
    throw new Error(`no complete HTTP answer: ${JSON.stringify(bytes.toString("latin1"))}`);
  const [statusLine = "", ...lines] = bytes.subarray(0, end).toString("latin1").split("\r\n");
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`);
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  let body = bytes.subarray(end + 4);
  if (/\bchunked\b/i.test(headers.get("transfer-encoding") ?? "")) body = dechunk(body);
  return { status: Number(match[1]), headers, text: body.toString("utf8") };
}

function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = bytes.indexOf("\r\n", offset);
    if (lineEnd === -1) break;
    const size = Number.parseInt(bytes.subarray(offset, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export interface KeepAliveExchange {
  first: HttpAnswer;
  /** The answer to the second request, or null if the connection ended without one. */
  second: HttpAnswer | null;
  /** Whether the first answer said `Connection: close` (then no second request is sent). */
  closedAfterFirst: boolean;
}

/**
 * Sends `first` on a keep-alive connection and, once its answer is complete and does not say
 * `Connection: close`, sends `second` on the same connection, as any pooling client would.
 */
export function sendOnOneConnection(
  port: number,
  first: RawRequest,
  second: RawRequest,
): Promise<KeepAliveExchange> {
  const keepAlive = {
    ...first,
    headers: [...(first.headers ?? []), ["Connection", "keep-alive"] as const],
  };
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    let firstAnswer: HttpAnswer | null = null;
    let firstLength = 0;
    socket.setTimeout(ANSWER_TIMEOUT_MS, () =>
      socket.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms (hang)`)),
    );
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (firstAnswer !== null) return;
      const end = received.indexOf("\r\n\r\n");
      if (end === -1) return;
      const head = parseRawAnswer(received.subarray(0, end + 4));
      const length = Number(head.headers.get("content-length") ?? "0");
      if (received.length < end + 4 + length) return;
      firstLength = end + 4 + length;
      firstAnswer = parseRawAnswer(received.subarray(0, firstLength));
      if (/\bclose\b/i.test(firstAnswer.headers.get("connection") ?? "")) socket.end();
      else socket.write(encodeRawRequest(port, second));
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      if (firstAnswer === null) {
        reject(new Error("the connection closed before the first answer"));
        return;
      }
      const rest = received.subarray(firstLength);
      resolve({
        first: firstAnswer,
        second: rest.length === 0 ? null : parseRawAnswer(rest),
        closedAfterFirst: /\bclose\b/i.test(firstAnswer.headers.get("connection") ?? ""),
      });
    });
    socket.write(encodeRawRequest(port, keepAlive));
  });
}
