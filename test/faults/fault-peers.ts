/**
 * Misbehaving peers for the fault-injection suite (issue 7 item 2), all on 127.0.0.1: a server
 * that accepts and never answers, one that answers garbage, and one that sends response headers
 * and then drops the connection (optionally only for some JSON-RPC methods, forwarding the rest
 * to a real MCP fixture so listing works and the call is what breaks).
 */
import { EventEmitter } from "node:events";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { Socket } from "node:net";
import { listenOnLoopback } from "../support/listen-on-loopback.js";
import { waitForChange } from "../support/wait-for-change.js";

export interface MisbehavingServer {
  url: string;
  /** Requests received so far. */
  readonly requests: number;
  /** Requests whose connection is still open (a request Patchbay never gave up shows here). */
  readonly openRequests: number;
  /** Server-side sockets still open, idle keep-alive connections included. */
  readonly openSockets: number;
  /** Resolves once `predicate` holds, re-checked on every request and socket change. */
  waitFor(predicate: () => boolean): Promise<void>;
  close(): Promise<void>;
}

/** Accepts every request and never answers (no status line, no body), until closed. */
export function startHangingServer(path = "/mcp"): Promise<MisbehavingServer> {
  return startMisbehavingServer(path, () => undefined);
}

/** Answers every request `200` with `body` (e.g. `{not json` as a registry listing). */
export function startGarbageServer(body: string): Promise<MisbehavingServer> {
  return startMisbehavingServer("", (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" }).end(body);
  });
}

export interface DroppingServerOptions {
  /** Forward requests to this MCP endpoint unless `drop` says otherwise; without it, drop all. */
  upstream?: string;
  /** Which JSON-RPC methods (`initialize`, `tools/list`, `tools/call`, …) get dropped. Default all. */
  drop?: (method: string | null) => boolean;
}

/**
 * Sends `200 text/event-stream` and the first line of an SSE event, then destroys the socket: a
 * server (or proxy) dying in the middle of its answer.
 */
export function startDroppingServer(
  options: DroppingServerOptions = {},
  path = "/mcp",
): Promise<MisbehavingServer> {
  const drop = options.drop ?? (() => true);
  return startMisbehavingServer(path, async (request, response) => {
    const body = await readBody(request);
    if (options.upstream === undefined || drop(rpcMethodOf(body))) {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("event: message\n");
      response.destroy();
      return;
    }
    forward(options.upstream, request, body, response);
  });
}

async function startMisbehavingServer(
  path: string,
  handle: (request: IncomingMessage, response: ServerResponse) => void | Promise<void>,
): Promise<MisbehavingServer> {
  const changes = new EventEmitter();
  const sockets = new Set<Socket>();
  let requests = 0;
  let openRequests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    openRequests += 1;
    changes.emit("change");
    response.once("close", () => {
      openRequests -= 1;
      changes.emit("change");
    });
    void Promise.resolve(handle(request, response)).catch(() => response.destroy());
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    changes.emit("change");
    socket.once("close", () => {
      sockets.delete(socket);
      changes.emit("change");
    });
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}${path}`,
    get requests() {
      return requests;
    },
    get openRequests() {
      return openRequests;
    },
    get openSockets() {
      return sockets.size;
    },
    waitFor: (predicate) => waitForChange(changes, "change", predicate),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function forward(
  upstream: string,
  request: IncomingMessage,
  body: Buffer,
  response: ServerResponse,
): void {
  const target = new URL(request.url ?? "/", upstream);
  const outgoing = httpRequest(
    target,
    { method: request.method, headers: request.headers },
    (incoming) => {
      response.writeHead(incoming.statusCode ?? 502, incoming.headers);
      incoming.pipe(response);
    },
  );
  outgoing.on("error", () => response.destroy());
  response.on("close", () => outgoing.destroy());
  outgoing.end(body);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  return Buffer.concat(chunks);
}

/** The JSON-RPC method of a request body (the first one of a batch); null for anything else. */
function rpcMethodOf(body: Buffer): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
  const first: unknown = Array.isArray(parsed) ? parsed[0] : parsed;
  if (typeof first !== "object" || first === null || !("method" in first)) return null;
  return typeof first.method === "string" ? first.method : null;
}
