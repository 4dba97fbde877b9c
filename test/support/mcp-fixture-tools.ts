import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

/** A tool served by the fixture; build one with `fixtureTool` to get typed arguments. */
export interface FixtureTool {
  name: string;
  description?: string;
  inputSchema: z.ZodObject;
  outputSchema?: z.ZodObject;
  annotations?: { readOnlyHint?: boolean };
  run: (args: unknown, context: FixtureToolContext) => Promise<CallToolResult>;
}

export interface FixtureToolContext {
  signal: AbortSignal;
  /** Ends this call's SSE response stream now (SEP-1699 polling); only on a resumable fixture. */
  closeResponseStream: () => void;
}

/** Types a tool's arguments from its zod shape; the fixture re-parses them before `run`. */
export function fixtureTool<Shape extends z.ZodRawShape>(definition: {
  name: string;
  description?: string;
  input: Shape;
  outputSchema?: z.ZodObject;
  annotations?: { readOnlyHint?: boolean };
  run: (
    args: z.infer<z.ZodObject<Shape>>,
    context: FixtureToolContext,
  ) => CallToolResult | Promise<CallToolResult>;
}): FixtureTool {
  const { input, run, ...rest } = definition;
  const inputSchema = z.object(input);
  return {
    ...rest,
    inputSchema,
    run: async (args, context) => run(inputSchema.parse(args), context),
  };
}

const text = (value: string): CallToolResult => ({ content: [{ type: "text", text: value }] });

/** echo, add, get_weather (read-only), fail (isError), slow (honours cancellation), structured. */
export function defaultFixtureTools(): FixtureTool[] {
  return [
    fixtureTool({
      name: "echo",
      description: "Echoes the message",
      input: { message: z.string() },
      run: (args) => text(`Echo: ${args.message}`),
    }),
    fixtureTool({
      name: "add",
      input: { a: z.number(), b: z.number() },
      run: (args) => text(String(args.a + args.b)),
    }),
    fixtureTool({
      name: "get_weather",
      description: "Current weather",
      input: { city: z.string() },
      annotations: { readOnlyHint: true },
      run: (args) => text(`Sunny in ${args.city}`),
    }),
    fixtureTool({ name: "fail", input: {}, run: () => ({ ...text("boom"), isError: true }) }),
    fixtureTool({
      name: "slow",
      input: { ms: z.number() },
      run: async (args, { signal }) => {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, args.ms);
          signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
        });
        return text(`Waited ${args.ms} ms`);
      },
    }),
    fixtureTool({
      name: "structured",
      input: { city: z.string() },
      outputSchema: z.object({ city: z.string(), temperatureC: z.number() }),
      run: (args) => ({ content: [], structuredContent: { city: args.city, temperatureC: 21 } }),
    }),
  ];
}

/** What `registerTool` takes for a fixture tool: the same on the SDK 1.x and 2.x servers. */
export function fixtureToolConfig(tool: FixtureTool) {
  return {
    inputSchema: tool.inputSchema,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    ...(tool.outputSchema === undefined ? {} : { outputSchema: tool.outputSchema }),
    ...(tool.annotations === undefined ? {} : { annotations: tool.annotations }),
  };
}

/**
 * The tools with every run counted in `concurrency` (runs in progress, and the most at once), so
 * tests can tell concurrent calls from sequential ones exactly.
 */
export function countingRuns(
  tools: FixtureTool[],
  concurrency: { running: number; max: number },
): FixtureTool[] {
  return tools.map((tool) => ({
    ...tool,
    run: async (args, context) => {
      concurrency.running += 1;
      concurrency.max = Math.max(concurrency.max, concurrency.running);
      try {
        return await tool.run(args, context);
      } finally {
        concurrency.running -= 1;
      }
    },
  }));
}

/**
 * One `McpServer` per session (an SDK server object serves one transport). With `pageSize`, its
 * `tools/list` is replaced by a paging one so clients' `nextCursor` handling can be tested.
 */
export function createFixtureMcpServer(
  tools: FixtureTool[],
  pageSize: number | undefined,
): McpServer {
  const server = new McpServer({ name: "patchbay-fixture", version: "1.0.0" });
  for (const tool of tools) {
    server.registerTool(tool.name, fixtureToolConfig(tool), (args, extra) =>
      tool.run(args, {
        signal: extra.signal,
        closeResponseStream: extra.closeSSEStream ?? (() => undefined),
      }),
    );
  }
  if (pageSize !== undefined) {
    server.server.setRequestHandler(ListToolsRequestSchema, (request) => {
      const start = Number(request.params?.cursor ?? "0");
      const page = tools.slice(start, start + pageSize).map((tool) => ({
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        inputSchema: z.toJSONSchema(tool.inputSchema, { target: "draft-07" }),
        ...(tool.annotations === undefined ? {} : { annotations: tool.annotations }),
      }));
      const next = start + pageSize;
      return { tools: page, ...(next < tools.length ? { nextCursor: String(next) } : {}) };
    });
  }
  return server;
}
