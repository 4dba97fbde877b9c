/**
 * What the MCP revision costs (issue 15 §1): the same MCP-tool response (list → model → call →
 * model, one `POST /v1/responses` with a `server_url`) against a 2025-11-25 server (SDK 1.x, a
 * pooled session) and a 2026-07-28 server (SDK 2.x, stateless: every request a plain POST with its
 * `_meta`), in one run with the same Patchbay, model and load. Prints the added latency per call
 * and how many `tools/list` each server received per 1,000 responses: the 2025 listing is cached
 * for Patchbay's TTL; a 2026 server sets the lifetime itself (`ttlMs`, 0 by default in the SDK).
 *
 *   npm run bench -- mcp-revisions [--seconds 5] [--rounds 2] [--connections 32]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchArgs, compare, type Side } from "./support/compare.js";
import { startPatchbayProcess, startProcess, type Started } from "./support/processes.js";

const args = benchArgs();
const home = await mkdtemp(join(tmpdir(), "patchbay-bench-"));
const model = await startProcess("bench/support/model-process.ts", ["--mcp"], {}, /^http:/);
const modelUrl = model.line.trim();
const patchbay = await startPatchbayProcess(modelUrl, home);
const patchbayUrl = `${patchbay.url}/v1/responses`;

interface RevisionServer {
  process: Started;
  side: Side;
  responses: number;
  counters(): Promise<{ toolsList: number; toolsCall: number }>;
}

async function revisionServer(name: string, processArgs: string[]): Promise<RevisionServer> {
  const started = await startProcess(
    "bench/support/mcp-revision-process.ts",
    processArgs,
    {},
    /^http:/,
  );
  const [mcpUrl, countersUrl] = started.line.trim().split(" ");
  const body = JSON.stringify({
    model: "bench",
    input: "add 2 and 3",
    tools: [{ type: "mcp", server_label: "bench", server_url: mcpUrl, require_approval: "never" }],
  });
  const server: RevisionServer = {
    process: started,
    responses: 0,
    counters: async () =>
      (await (await fetch(countersUrl!)).json()) as { toolsList: number; toolsCall: number },
    side: {
      name,
      task: async () => {
        const response = await fetch(patchbayUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        const json = (await response.json()) as { status?: string; output?: unknown[] };
        if (json.status !== "completed" || JSON.stringify(json.output).includes('"error":{'))
          throw new Error(`response ${JSON.stringify(json).slice(0, 300)}`);
        server.responses += 1;
      },
    },
  };
  return server;
}

const session = await revisionServer("2025-11-25 session", ["--revision", "2025"]);
const stateless = await revisionServer("2026-07-28 stateless", ["--revision", "2026"]);
const cached = await revisionServer("2026-07-28, ttlMs 60 s", [
  "--revision",
  "2026",
  "--ttl-ms",
  "60000",
]);

await compare(
  "one MCP-tool response (list → model → call → model)",
  session.side,
  stateless.side,
  args,
  undefined,
  "2026-07-28 adds",
);
await compare(
  "the same, the 2026-07-28 server giving tools/list a 60 s ttlMs",
  session.side,
  cached.side,
  args,
  undefined,
  "2026-07-28 (ttlMs) adds",
);
for (const server of [session, stateless, cached]) {
  const { toolsList, toolsCall } = await server.counters();
  const perThousand = ((toolsList / Math.max(server.responses, 1)) * 1_000).toFixed(1);
  console.log(
    `${server.side.name.padEnd(26)} ${String(server.responses).padStart(7)} responses   tools/list ${String(toolsList).padStart(6)} (${perThousand.padStart(6)} per 1,000 responses)   tools/call ${toolsCall}`,
  );
}

await patchbay.stop();
await Promise.all([session, stateless, cached].map((server) => server.process.stop()));
await model.stop();
await rm(home, { recursive: true, force: true });
