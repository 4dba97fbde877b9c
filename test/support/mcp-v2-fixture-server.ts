import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import {
  acceptedContent,
  createMcpHandler,
  inputRequired,
  McpServer,
  type CallToolResult,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import { listenOnLoopback } from "./listen-on-loopback.js";

export interface McpV2FixtureOptions {
  /** `reject`: a strict 2026-07-28-only endpoint; `stateless` (default): 2025 clients served too. */
  legacy?: "stateless" | "reject";
  /** `ttlMs` the server puts on `tools/list` results (2026-07-28 cache hint). Default 0. */
  toolsTtlMs?: number;
}

export interface McpV2Fixture {
  url: string;
  /** JSON-RPC methods received, counted in the HTTP layer. */
  counters: Record<string, number>;
  /** The `MCP-Protocol-Version` header of every POST, in order. */
  protocolHeaders: string[];
  close(): Promise<void>;
}

const PNG_PIXEL =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

const text = (value: string): CallToolResult => ({ content: [{ type: "text", text: value }] });

/**
 * A real MCP server built with the SDK 2.x server package (`@modelcontextprotocol/server`) in its
 * stateless 2026-07-28 mode (`createMcpHandler`: no session, one server instance per request), on
 * 127.0.0.1:0 (STYLE.md "Real peers"). Tools: echo, add, fail (isError), structured, media (image,
 * audio, resource link, embedded resource) and confirm (asks for input with `input_required`).
 */
export async function startMcpV2Fixture(options: McpV2FixtureOptions = {}): Promise<McpV2Fixture> {
  const counters: Record<string, number> = {};
  const protocolHeaders: string[] = [];
  const factory = (): McpServer => {
    const server = new McpServer(
      { name: "patchbay-v2-fixture", version: "2.0.0" },
      { cacheHints: { "tools/list": { ttlMs: options.toolsTtlMs ?? 0, cacheScope: "private" } } },
    );
    server.registerTool(
      "echo",
      { description: "Echoes the message", inputSchema: z.object({ message: z.string() }) },
      ({ message }) => text(`Echo: ${message}`),
    );
    server.registerTool(
      "add",
      { inputSchema: z.object({ a: z.number(), b: z.number() }) },
      ({ a, b }) => text(String(a + b)),
    );
    server.registerTool("fail", { inputSchema: z.object({}) }, () => ({
      ...text("boom"),
      isError: true,
    }));
    server.registerTool(
      "structured",
      {
        inputSchema: z.object({ city: z.string() }),
        outputSchema: z.object({ city: z.string(), temperatureC: z.number() }),
      },
      ({ city }) => ({ content: [], structuredContent: { city, temperatureC: 21 } }),
    );
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
    return server;
  };
  const handler = createMcpHandler(factory, { legacy: options.legacy ?? "stateless" });
  const listener = getRequestListener(async (request) => {
    if (request.method === "POST") {
      const body: unknown = await request.clone().json();
      const method = z.looseObject({ method: z.string() }).safeParse(body);
      if (method.success) counters[method.data.method] = (counters[method.data.method] ?? 0) + 1;
      protocolHeaders.push(request.headers.get("mcp-protocol-version") ?? "");
    }
    return handler.fetch(request);
  });
  const server = createServer((request, response) => void listener(request, response));
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    counters,
    protocolHeaders,
    close: async () => {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
