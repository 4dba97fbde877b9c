import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { InMemoryEventStore } from "@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";
import {
  countingRuns,
  createFixtureMcpServer,
  defaultFixtureTools,
  type FixtureTool,
} from "./mcp-fixture-tools.js";
import { listenOnLoopback } from "./listen-on-loopback.js";
import { sendJson } from "./send-fixture-response.js";
import { waitForChange } from "./wait-for-change.js";

export { defaultFixtureTools, fixtureTool, type FixtureTool } from "./mcp-fixture-tools.js";

export interface McpFixtureOptions {
  /** Which endpoints exist: `/mcp` (Streamable HTTP), `/sse` + `/messages` (legacy), or both. Default both. */
  transport?: "streamable-http" | "sse" | "both";
  /** Every HTTP request without `Authorization: Bearer <token>` gets a 401 JSON body. */
  requireBearer?: string;
  /** Replaces the default tools (spread `defaultFixtureTools()` to extend them). */
  tools?: FixtureTool[];
  /** Serve `tools/list` in pages of this size (with `nextCursor`) instead of McpServer's single page. */
  toolsPageSize?: number;
  /**
   * Streamable HTTP with an event store: responses stream as SSE with a priming event id and this
   * `retry`, and a tool may close its stream before answering (resumed with `Last-Event-ID`).
   */
  resumableRetryMs?: number;
  /** Told each session's `McpServer` as it is made (to change its tools while it is live). */
  onServer?: (server: McpServer) => void;
  /** Makes each session's server instead of the fixture tools (a third-party server, in-process). */
  createServer?: () => McpServer;
}

export interface McpFixture {
  /** The endpoint of the chosen transport (`…/mcp`, or `…/sse` for `transport:"sse"`). */
  url: string;
  streamableUrl: string;
  sseUrl: string;
  counters: {
    listTools: number;
    callTool: number;
    initialize: number;
    httpRequests: number;
    /** TCP connections accepted (keep-alive reuse shows as fewer connections than requests). */
    connections: number;
  };
  /** Tool runs in progress now, and the most ever at once (tests may reset `max`). */
  concurrency: { running: number; max: number };
  calls: Array<{ name: string; arguments: unknown; headers: Record<string, string> }>;
  requestHeaders: Array<Record<string, string>>;
  /** Every HTTP request received, in order (`path` without the query). */
  requests: Array<{ method: string; path: string }>;
  /** MCP sessions open on the server (Streamable HTTP + legacy SSE). */
  readonly openSessions: number;
  /** HTTP requests whose response has not finished (long-lived event streams included). */
  readonly activeRequests: number;
  /** Resolves once `predicate` holds, re-checked on every session/request change (no polling). */
  waitFor(predicate: () => boolean): Promise<void>;
  /** Closes every MCP session server-side but keeps listening, like a server restart. */
  dropSessions(): Promise<void>;
  close(): Promise<void>;
}

const JsonRpcMessageSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  method: z.string().optional(),
  params: z
    .looseObject({ name: z.string().optional(), arguments: z.unknown().optional() })
    .optional(),
});

/** The tool name whose `tools/call` the Streamable HTTP endpoint answers with a JSON-RPC error. */
export const RPC_ERROR_TOOL = "rpc_error";
export const RPC_ERROR = { code: -32603, message: "Simulated JSON-RPC failure" };

/**
 * Real MCP servers (SDK `McpServer`) on 127.0.0.1:0 for tests (STYLE.md "Real peers"): stateful
 * Streamable HTTP at `/mcp`, legacy SSE at `GET /sse` + `POST /messages`. It counts JSON-RPC
 * methods in the HTTP layer (bodies are parsed here and handed to the SDK as `parsedBody`), so
 * tests can assert what reached the server. A `tools/call` of `rpc_error` on `/mcp` gets a JSON-RPC
 * error reply, since `McpServer` turns every tool failure into an `isError` result.
 */
export async function startMcpFixture(options: McpFixtureOptions = {}): Promise<McpFixture> {
  const mode = options.transport ?? "both";
  const concurrency = { running: 0, max: 0 };
  const tools = countingRuns(options.tools ?? defaultFixtureTools(), concurrency);
  const changes = new EventEmitter();
  const streamable = new Map<string, StreamableHTTPServerTransport>();
  const legacy = new Map<string, SSEServerTransport>();
  const counters = { listTools: 0, callTool: 0, initialize: 0, httpRequests: 0, connections: 0 };
  const calls: McpFixture["calls"] = [];
  const requestHeaders: McpFixture["requestHeaders"] = [];
  const requests: McpFixture["requests"] = [];
  const newServer = (): McpServer => {
    const server = options.createServer?.() ?? createFixtureMcpServer(tools, options.toolsPageSize);
    options.onServer?.(server);
    return server;
  };
  let activeRequests = 0;
  const changed = (): boolean => changes.emit("change");

  const countMessages = (body: unknown, headers: Record<string, string>): void => {
    for (const raw of Array.isArray(body) ? body : [body]) {
      const message = JsonRpcMessageSchema.safeParse(raw);
      if (!message.success) continue;
      if (message.data.method === "initialize") counters.initialize += 1;
      if (message.data.method === "tools/list") counters.listTools += 1;
      if (message.data.method === "tools/call") {
        counters.callTool += 1;
        calls.push({
          name: message.data.params?.name ?? "",
          arguments: message.data.params?.arguments,
          headers,
        });
      }
    }
  };

  const handleStreamable = async (
    request: IncomingMessage,
    response: ServerResponse,
    body: unknown,
  ): Promise<void> => {
    const sessionId = request.headers["mcp-session-id"];
    const rpcError = rpcErrorReply(body);
    if (rpcError !== undefined) return sendJson(response, 200, rpcError);
    let transport = typeof sessionId === "string" ? streamable.get(sessionId) : undefined;
    if (transport === undefined) {
      if (sessionId !== undefined)
        return sendJson(response, 404, jsonRpcError(-32001, "Session not found"));
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        ...(options.resumableRetryMs === undefined
          ? {}
          : { eventStore: new InMemoryEventStore(), retryInterval: options.resumableRetryMs }),
        onsessioninitialized: (id) => {
          streamable.set(id, created);
          changed();
        },
      });
      created.onclose = () => {
        if (created.sessionId !== undefined) streamable.delete(created.sessionId);
        changed();
      };
      await newServer().connect(created);
      transport = created;
    }
    await transport.handleRequest(request, response, body);
  };

  const openLegacySession = async (response: ServerResponse): Promise<void> => {
    const transport = new SSEServerTransport("/messages", response);
    legacy.set(transport.sessionId, transport);
    transport.onclose = () => {
      legacy.delete(transport.sessionId);
      changed();
    };
    await newServer().connect(transport);
    changed();
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const headers = flattenHeaders(request);
    counters.httpRequests += 1;
    requestHeaders.push(headers);
    requests.push({
      method: request.method ?? "GET",
      path: new URL(request.url ?? "/", "http://fixture").pathname,
    });
    if (
      options.requireBearer !== undefined &&
      headers.authorization !== `Bearer ${options.requireBearer}`
    ) {
      return sendJson(response, 401, { error: "unauthorized" });
    }
    const url = new URL(request.url ?? "/", "http://fixture");
    const body = request.method === "POST" ? await readJson(request) : undefined;
    countMessages(body, headers);
    changed();
    if (mode !== "sse" && url.pathname === "/mcp") return handleStreamable(request, response, body);
    if (mode !== "streamable-http" && url.pathname === "/sse" && request.method === "GET")
      return openLegacySession(response);
    if (mode !== "streamable-http" && url.pathname === "/messages" && request.method === "POST") {
      const transport = legacy.get(url.searchParams.get("sessionId") ?? "");
      if (transport === undefined) return sendJson(response, 404, { error: "unknown session" });
      return transport.handlePostMessage(request, response, body);
    }
    sendJson(response, 404, { error: "not found" });
  };

  const dropSessions = async (): Promise<void> => {
    const transports = [...streamable.values(), ...legacy.values()];
    await Promise.all(transports.map((transport) => transport.close()));
  };

  const server = createServer((request, response) => {
    activeRequests += 1;
    changed();
    response.on("close", () => {
      activeRequests -= 1;
      changed();
    });
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: String(error) });
    });
  });
  server.on("connection", () => {
    counters.connections += 1;
  });
  const port = await listenOnLoopback(server);
  const base = `http://127.0.0.1:${port}`;

  return {
    url: mode === "sse" ? `${base}/sse` : `${base}/mcp`,
    streamableUrl: `${base}/mcp`,
    sseUrl: `${base}/sse`,
    counters,
    concurrency,
    calls,
    requestHeaders,
    requests,
    get openSessions() {
      return streamable.size + legacy.size;
    },
    get activeRequests() {
      return activeRequests;
    },
    waitFor: (predicate) => waitForChange(changes, "change", predicate),
    dropSessions,
    close: async () => {
      await dropSessions();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function rpcErrorReply(body: unknown): unknown {
  const message = JsonRpcMessageSchema.safeParse(body);
  if (
    !message.success ||
    message.data.method !== "tools/call" ||
    message.data.params?.name !== RPC_ERROR_TOOL
  ) {
    return undefined;
  }
  return { jsonrpc: "2.0", id: message.data.id ?? null, error: RPC_ERROR };
}

function jsonRpcError(code: number, message: string): unknown {
  return { jsonrpc: "2.0", id: null, error: { code, message } };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}
