/**
 * The MCP servers the e2e MCP suites run against (issue 15): SDK 1.x servers on both transports
 * (2025-11-25, a session each), an SDK 2.x server in its stateless 2026-07-28 mode, and the
 * third-party reference server `@modelcontextprotocol/server-everything`. A suite runs
 * `describe.each(mcpPeers)`; tests that need the fixture tools (`slow`, `fail`, `get_weather`,
 * custom tool lists) run where `fixtureTools` holds, and `add` names the peer's adding tool.
 */
import { startEverythingMcpServer } from "./everything-mcp-server.js";
import { startMcpFixture, type McpFixture } from "./mcp-fixture-server.js";
import type { FixtureTool } from "./mcp-fixture-tools.js";
import { startMcpV2Fixture } from "./mcp-v2-fixture-server.js";

/** What a suite reads off any peer (both fixtures count the same way, in their HTTP layer). */
export type McpPeer = Pick<
  McpFixture,
  "url" | "counters" | "concurrency" | "calls" | "requestHeaders" | "requests" | "close"
>;

export interface McpPeerStartOptions {
  requireBearer?: string;
  /** Only on peers with `fixtureTools`. */
  tools?: FixtureTool[];
  /** A `tools/list` cache lifetime the peer announces, where its revision has one (2026-07-28). */
  toolsTtlMs?: number;
}

export interface McpPeerKind {
  name: string;
  transport: "streamable-http" | "sse";
  /** Serves the fixture tools (echo, add, get_weather, fail, slow, structured), or custom ones. */
  fixtureTools: boolean;
  /** The revision Patchbay negotiates with it. */
  protocolRevision: string;
  /** The peer's tool that adds `a` and `b`, and the text it answers. */
  add: { name: string; output: (a: number, b: number) => string };
  start(options?: McpPeerStartOptions): Promise<McpPeer>;
}

const fixtureAdd = { name: "add", output: (a: number, b: number) => String(a + b) };

/** An SDK 1.x fixture on one transport (a 2025-era server announces no listing lifetime). */
const sdk1Peer = (transport: "streamable-http" | "sse"): McpPeerKind => ({
  name: `an SDK 1.x server over ${transport}`,
  transport,
  fixtureTools: true,
  protocolRevision: "2025-11-25",
  add: fixtureAdd,
  start: ({ toolsTtlMs: _ttl, ...options } = {}) => startMcpFixture({ ...options, transport }),
});

export const mcpPeers: McpPeerKind[] = [
  sdk1Peer("streamable-http"),
  sdk1Peer("sse"),
  {
    name: "an SDK 2.x stateless 2026-07-28 server",
    transport: "streamable-http",
    fixtureTools: true,
    protocolRevision: "2026-07-28",
    add: fixtureAdd,
    start: (options = {}) => startMcpV2Fixture({ ...options, legacy: "reject" }),
  },
  {
    name: "server-everything",
    transport: "streamable-http",
    fixtureTools: false,
    protocolRevision: "2025-11-25",
    add: { name: "get-sum", output: (a, b) => `The sum of ${a} and ${b} is ${a + b}.` },
    start: ({ requireBearer } = {}) =>
      startEverythingMcpServer({
        transport: "streamable-http",
        ...(requireBearer === undefined ? {} : { requireBearer }),
      }),
  },
];
