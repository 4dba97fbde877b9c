import { createServer, type IncomingMessage } from "node:http";
import { getRequestListener } from "@hono/node-server";
import {
  acceptedContent,
  createMcpHandler,
  inputRequired,
  McpServer,
  type CallToolResult,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import type { McpFixture } from "./mcp-fixture-server.js";
import {
  countingRuns,
  defaultFixtureTools,
  fixtureToolConfig,
  type FixtureTool,
} from "./mcp-fixture-tools.js";
import { listenOnLoopback } from "./listen-on-loopback.js";

export interface McpV2FixtureOptions {
  /** `reject`: a strict 2026-07-28-only endpoint; `stateless` (default): 2025 clients served too. */
  legacy?: "stateless" | "reject";
  /** `ttlMs` the server puts on `tools/list` results (2026-07-28 cache hint). Default 0. */
  toolsTtlMs?: number;
  /** Replaces the default tools (the SDK 1.x fixture's, plus `route`, `media` and `confirm`). */
  tools?: FixtureTool[];
  /** Also serve `badly_marked`, which breaks the `x-mcp-header` rules (the server warns of it). */
  badlyMarkedTool?: boolean;
  /** Every HTTP request without `Authorization: Bearer <token>` gets a 401 JSON body. */
  requireBearer?: string;
}

/** The SDK 1.x fixture's view of what reached the server, so one e2e suite can run on either. */
export interface McpV2Fixture extends Pick<
  McpFixture,
  "url" | "counters" | "concurrency" | "calls" | "requestHeaders" | "requests"
> {
  /** JSON-RPC methods received by name (`server/discover`, `tools/list`, …). */
  methods: Record<string, number>;
  /** The `MCP-Protocol-Version` header of every POST, in order. */
  protocolHeaders: string[];
  close(): Promise<void>;
}

const PNG_PIXEL =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

const text = (value: string): CallToolResult => ({ content: [{ type: "text", text: value }] });

const RpcMessageSchema = z.looseObject({
  method: z.string(),
  params: z
    .looseObject({ name: z.string().optional(), arguments: z.unknown().optional() })
    .optional(),
});

/**
 * A real MCP server built with the SDK 2.x server package (`@modelcontextprotocol/server`) in its
 * stateless 2026-07-28 mode (`createMcpHandler`: no session, one server instance per request), on
 * 127.0.0.1:0 (STYLE.md "Real peers"). By default it serves the SDK 1.x fixture's tools (echo,
 * add, get_weather, fail, slow, structured), plus media (image, audio, resource link, embedded
 * resource) and confirm (asks for input with `input_required`). It counts what reached it in the
 * HTTP layer, with the same counters as the SDK 1.x fixture.
 */
export async function startMcpV2Fixture(options: McpV2FixtureOptions = {}): Promise<McpV2Fixture> {
  const methods: Record<string, number> = {};
  const protocolHeaders: string[] = [];
  const counters = { listTools: 0, callTool: 0, initialize: 0, httpRequests: 0, connections: 0 };
  const concurrency = { running: 0, max: 0 };
  const calls: McpFixture["calls"] = [];
  const requestHeaders: McpFixture["requestHeaders"] = [];
  const requests: McpFixture["requests"] = [];
  const tools = countingRuns(options.tools ?? defaultFixtureTools(), concurrency);
  const factory = (): McpServer => {
    const server = new McpServer(
      { name: "patchbay-v2-fixture", version: "2.0.0" },
      { cacheHints: { "tools/list": { ttlMs: options.toolsTtlMs ?? 0, cacheScope: "private" } } },
    );
    for (const tool of tools) {
      server.registerTool(tool.name, fixtureToolConfig(tool), (args: unknown, context) =>
        tool.run(args, { signal: context.mcpReq.signal, closeResponseStream: () => undefined }),
      );
    }
    if (options.tools === undefined)
      registerRevisionTools(server, options.badlyMarkedTool === true);
    return server;
  };
  const handler = createMcpHandler(factory, { legacy: options.legacy ?? "stateless" });
  const count = (body: unknown, headers: Record<string, string>): void => {
    const message = RpcMessageSchema.safeParse(body);
    if (!message.success) return;
    const { method, params } = message.data;
    methods[method] = (methods[method] ?? 0) + 1;
    if (method === "initialize") counters.initialize += 1;
    if (method === "tools/list") counters.listTools += 1;
    if (method === "tools/call") {
      counters.callTool += 1;
      calls.push({ name: params?.name ?? "", arguments: params?.arguments, headers });
    }
  };
  const listener = getRequestListener(async (request) => {
    const headers = Object.fromEntries(request.headers);
    counters.httpRequests += 1;
    requestHeaders.push(headers);
    requests.push({ method: request.method, path: new URL(request.url).pathname });
    if (
      options.requireBearer !== undefined &&
      headers.authorization !== `Bearer ${options.requireBearer}`
    ) {
      return Response.json({ error: "unauthorized" }, { status: 401 });
    }
    if (request.method === "POST") {
      count(
        await request
          .clone()
          .json()
          .catch(() => undefined),
        headers,
      );
      protocolHeaders.push(headers["mcp-protocol-version"] ?? "");
    }
    return handler.fetch(request);
  });
  const server = createServer(
    (request: IncomingMessage, response) => void listener(request, response),
  );
  server.on("connection", () => {
    counters.connections += 1;
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    counters,
    concurrency,
    calls,
    requestHeaders,
    requests,
    methods,
    protocolHeaders,
    close: async () => {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What only the 2.x line has: every content kind, a request for input, and SEP-2243 custom
 * headers (`route` marks its arguments with `x-mcp-header`, which the server checks against the
 * `Mcp-Param-*` headers of each call; `badly_marked`, on request, marks a number, which clients
 * must not offer).
 */
function registerRevisionTools(server: McpServer, badlyMarked: boolean): void {
  server.registerTool(
    "route",
    {
      description: "Routes a job by region",
      inputSchema: z.object({
        region: z.string().meta({ "x-mcp-header": "Region" }),
        priority: z.number().int().meta({ "x-mcp-header": "Priority" }),
        note: z.string().optional(),
      }),
    },
    ({ region, priority }) => text(`Routed to ${region} at ${priority}`),
  );
  if (badlyMarked) {
    server.registerTool(
      "badly_marked",
      { inputSchema: z.object({ amount: z.number().meta({ "x-mcp-header": "Amount" }) }) },
      () => text("a client must not offer this tool"),
    );
  }
  server.registerTool("media", { inputSchema: z.object({}) }, () => ({
    content: [
      { type: "text", text: "Here you are" },
      { type: "image", data: PNG_PIXEL, mimeType: "image/png" },
      { type: "audio", data: "UklGRg==", mimeType: "audio/wav" },
      { type: "resource_link", uri: "file:///report.pdf", name: "report.pdf" },
      {
        type: "resource",
        resource: { uri: "file:///notes.txt", mimeType: "text/plain", text: "Some notes" },
      },
    ],
  }));
  const confirmation = z.object({ confirm: z.boolean() });
  server.registerTool("confirm", { inputSchema: z.object({}) }, (_args, context) => {
    const answer = acceptedContent(context.mcpReq.inputResponses, "confirm", confirmation);
    if (answer?.confirm === true) return text("confirmed");
    return inputRequired({
      inputRequests: {
        confirm: inputRequired.elicit({ message: "Go ahead?", requestedSchema: confirmation }),
      },
    });
  });
}
