/**
 * A hostile MCP server on 127.0.0.1:0 (issue 11 §2): it speaks enough Streamable HTTP (JSON
 * answers, 202 for notifications, 405 for the GET stream) to get through `initialize`, then
 * answers the methods it is told to abuse with an endless JSON body, one SSE event that never
 * ends, a body that drips a byte at a time and never ends, or an oversized tool listing. Endless
 * bodies are written with backpressure, so the peer itself stays small whatever Patchbay does.
 * Plain `node:http`, not the SDK: a real server cannot be made to misbehave this way.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { listenOnLoopback } from "./listen-on-loopback.js";
import { writeForever } from "./send-fixture-response.js";

export type HostileAnswer =
  /** `200 application/json` whose body opens a JSON-RPC result and never closes it. */
  | "endless-json"
  /** `200 text/event-stream` with one `data:` line that never ends (no blank line, ever). */
  | "endless-sse-event"
  /** `200 application/json`, one byte every `dripMs`, forever. */
  | "drip"
  /** A well-formed answer (initialize, a small listing, an echo result). */
  | "normal";

export interface HostileMcpOptions {
  /** How each JSON-RPC method is answered; unnamed methods are answered normally. */
  answers?: Partial<Record<"initialize" | "tools/list" | "tools/call", HostileAnswer>>;
  /** The tools a normal `tools/list` lists (default one `echo`), all in one page unless paged. */
  tools?: number;
  /** Split the listing into pages of this many tools, each with a fresh `nextCursor`. */
  pageSize?: number;
  /** The GET stream: absent → 405 (no standalone stream); `endless-sse-event` → that. */
  getStream?: "endless-sse-event";
  /** Delay between dripped bytes (default 100 ms). */
  dripMs?: number;
  /** Each `tools/list` page is answered after this long (default at once). */
  pageDelayMs?: number;
}

export interface HostileMcpServer {
  url: string;
  /** HTTP requests received, by JSON-RPC method (`GET` for event streams). */
  readonly requests: Readonly<Record<string, number>>;
  /** Requests whose connection is still open (an abandoned endless body shows here). */
  readonly openRequests: number;
  /** Bytes written into bodies so far, all requests together. */
  readonly bytesSent: number;
  /** Resolves once no request is open (Patchbay closed every endless body it was sent). */
  allClosed(): Promise<void>;
  /** Resolves once a request for `method` (or `GET`) has arrived. */
  received(method: string): Promise<void>;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, "A");

export async function startHostileMcpServer(
  options: HostileMcpOptions = {},
): Promise<HostileMcpServer> {
  const requests: Record<string, number> = {};
  const sockets = new Set<Socket>();
  const open = new Set<ServerResponse>();
  const closed = new EventTarget();
  const arrived = new EventTarget();
  let bytesSent = 0;

  const stream = (response: ServerResponse, first: string, body: Buffer): Promise<void> =>
    writeForever(response, first, body, (bytes) => {
      bytesSent += bytes;
    });
  const drip = async (response: ServerResponse): Promise<void> => {
    response.write('{"jsonrpc":"2.0","id":');
    while (!response.destroyed) {
      await new Promise((resolve) => setTimeout(resolve, options.dripMs ?? 100));
      if (response.destroyed) return;
      bytesSent += 1;
      response.write(" ");
    }
  };

  const answer = async (
    method: string,
    id: unknown,
    params: Record<string, unknown>,
    response: ServerResponse,
  ): Promise<void> => {
    const how = options.answers?.[method as "initialize"] ?? "normal";
    if (method === "tools/list" && options.pageDelayMs !== undefined)
      await new Promise((resolve) => setTimeout(resolve, options.pageDelayMs));
    const head = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":"`;
    switch (how) {
      case "endless-json":
        response.writeHead(200, { "content-type": "application/json" });
        return stream(response, head, CHUNK);
      case "endless-sse-event":
        response.writeHead(200, { "content-type": "text/event-stream" });
        return stream(response, `event: message\ndata: ${head}`, CHUNK);
      case "drip":
        response.writeHead(200, { "content-type": "application/json" });
        return drip(response);
      case "normal":
        response.writeHead(200, { "content-type": "application/json" });
        // A 2025-era server: `server/discover` (the 2026 probe) is a method it does not know.
        if (method === "server/discover")
          return void response.end(
            JSON.stringify({
              jsonrpc: "2.0",
              id,
              error: { code: -32601, message: "Method not found" },
            }),
          );
        response.end(JSON.stringify({ jsonrpc: "2.0", id, result: normalResult(method, params) }));
    }
  };

  const normalResult = (method: string, params: Record<string, unknown>): unknown => {
    if (method === "initialize")
      return {
        protocolVersion: "2025-06-18",
        capabilities: { tools: {} },
        serverInfo: { name: "hostile", version: "1.0.0" },
      };
    if (method === "tools/list") {
      const total = options.tools ?? 1;
      const pageSize = options.pageSize ?? total;
      const start = typeof params.cursor === "string" ? Number(params.cursor) : 0;
      const end = Math.min(total, start + pageSize);
      const tools = Array.from({ length: end - start }, (_, offset) => ({
        name: total === 1 ? "echo" : `tool_${start + offset}`,
        description: "Echoes the message",
        inputSchema: { type: "object", properties: { message: { type: "string" } } },
      }));
      return end < total ? { tools, nextCursor: String(end) } : { tools };
    }
    if (method === "tools/call") return { content: [{ type: "text", text: "echo" }] };
    return {};
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method === "GET") {
      requests.GET = (requests.GET ?? 0) + 1;
      arrived.dispatchEvent(new Event("GET"));
      if (options.getStream !== "endless-sse-event") {
        response.writeHead(405).end();
        return;
      }
      response.writeHead(200, { "content-type": "text/event-stream" });
      return stream(response, "event: message\ndata: ", CHUNK);
    }
    if (request.method === "DELETE") {
      response.writeHead(200).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const message = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      id?: unknown;
      method?: string;
      params?: Record<string, unknown>;
    };
    const method = message.method ?? "response";
    requests[method] = (requests[method] ?? 0) + 1;
    arrived.dispatchEvent(new Event(method));
    if (message.id === undefined) {
      response.writeHead(202).end();
      return;
    }
    await answer(method, message.id, message.params ?? {}, response);
  };

  const server = createServer((request, response) => {
    open.add(response);
    response.on("close", () => {
      open.delete(response);
      if (open.size === 0) closed.dispatchEvent(new Event("closed"));
    });
    handle(request, response).catch(() => response.destroy());
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    get openRequests() {
      return open.size;
    },
    get bytesSent() {
      return bytesSent;
    },
    received: (method) =>
      requests[method] === undefined
        ? once(arrived, method).then(() => undefined)
        : Promise.resolve(),
    allClosed: () =>
      open.size === 0 ? Promise.resolve() : once(closed, "closed").then(() => undefined),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
