/**
 * An MCP server of one protocol revision as its own process, for `bench/mcp-revisions.ts`:
 * `--revision 2025` is the SDK 1.x fixture (2025-11-25, sessions), `--revision 2026` the SDK 2.x
 * fixture in stateless 2026-07-28 mode (`--ttl-ms` on its `tools/list`). Prints
 * `<mcp url> <counters url>`; the counters URL answers `{"toolsList":…,"toolsCall":…}`.
 */
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { listenOnLoopback } from "../../test/support/listen-on-loopback.js";
import { startMcpFixture } from "../../test/support/mcp-fixture-server.js";
import { startMcpV2Fixture } from "../../test/support/mcp-v2-fixture-server.js";

const { values } = parseArgs({
  options: { revision: { type: "string" }, "ttl-ms": { type: "string", default: "0" } },
});
const server =
  values.revision === "2026"
    ? await startMcpV2Fixture({ legacy: "reject", toolsTtlMs: Number(values["ttl-ms"]) })
    : await startMcpFixture({ transport: "streamable-http" });
const counts = (): { toolsList: number; toolsCall: number } => ({
  toolsList: server.counters.listTools,
  toolsCall: server.counters.callTool,
});
const counters = createServer((_request, response) => {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify(counts()));
});
const port = await listenOnLoopback(counters);
process.stdout.write(`${server.url} http://127.0.0.1:${port}/\n`);
process.on("SIGTERM", () => {
  counters.close();
  void server.close().then(() => process.exit(0));
});
