/**
 * Throughput of MCP-tool responses by storage and replica count (issue 13 "Benchmarks"): the same
 * stored `POST /v1/responses` with an `mcp` tool (list → model → call → model, P01's shape) at
 * concurrency 32 through one Patchbay on SQLite, one on PostgreSQL, and two on one PostgreSQL
 * database driven round-robin. Same model and MCP processes, rounds interleaved in one run. Also
 * what one stored MCP-tool response costs the database (transactions, rows, bytes), the figures
 * `docs/scaling.md` builds on.
 *
 *   npm run bench -- replicas [--seconds 5] [--rounds 2] [--connections 32]
 *
 * Needs PostgreSQL at PATCHBAY_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { adminConnection, testPostgresUrl } from "../test/support/postgres-target.js";
import { spawnPatchbay, type PatchbayProcess } from "../test/support/patchbay-process.js";
import { closedLoop, type LoadResult } from "./support/closed-loop.js";
import { benchArgs } from "./support/compare.js";
import { startProcess } from "./support/processes.js";

const args = benchArgs();
const url = testPostgresUrl(process.env);
const database = `pb_bench_${Date.now()}`;
const maintenance = new pg.Client(adminConnection(url));
await maintenance.connect();
await maintenance.query(`CREATE DATABASE "${database}"`);
const target = adminConnection(url, database);
const databaseUrl = `postgres://${encodeURIComponent(String(target.user))}@${target.host}:${target.port}/${database}`;

const home = await mkdtemp(join(tmpdir(), "patchbay-bench-replicas-"));
const config = join(home, "run.yaml");
await writeFile(
  config,
  `storage:
  backends:
    pg:
      type: sql_postgres
      url: \${env.DATABASE_URL}
      pool_size: 10
providers:
  agents:
  - provider_id: meta-reference
    provider_type: inline::meta-reference
    config:
      persistence:
        responses:
          backend: pg
`,
);

const model = await startProcess("bench/support/model-process.ts", ["--mcp"], {}, /^http:/);
const mcp = await startProcess("bench/support/mcp-process.ts", [], {}, /^http:/);
const modelUrl = model.line.trim();
const mcpUrl = mcp.line.trim();
const env = { INFERENCE_BASE_URL: modelUrl };
const sqlite = await spawnPatchbay({ ...env, PATCHBAY_HOME: join(home, "sqlite") });
const onPostgres = (): Promise<PatchbayProcess> =>
  spawnPatchbay({ ...env, PATCHBAY_HOME: join(home, "pg"), DATABASE_URL: databaseUrl }, [
    "--config",
    config,
  ]);
const postgresA = await onPostgres();
const postgresB = await onPostgres();

const body = JSON.stringify({
  model: "bench",
  input: "add 2 and 3",
  tools: [{ type: "mcp", server_label: "bench", server_url: mcpUrl, require_approval: "never" }],
});
/** One stored MCP-tool response against the next of `servers`, round-robin. */
function responses(servers: PatchbayProcess[]): () => Promise<void> {
  let next = 0;
  return async () => {
    const server = servers[next++ % servers.length]!;
    const response = await fetch(`${server.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    const json = (await response.json()) as { status?: string };
    if (json.status !== "completed")
      throw new Error(`response ${JSON.stringify(json).slice(0, 200)}`);
  };
}

const sides = [
  { name: "1 replica, SQLite", task: responses([sqlite]) },
  { name: "1 replica, PostgreSQL", task: responses([postgresA]) },
  { name: "2 replicas, PostgreSQL", task: responses([postgresA, postgresB]) },
];
for (const side of sides) await closedLoop(side.task, args.connections, 1);
const samples = new Map<string, LoadResult[]>(sides.map((side) => [side.name, []]));
for (let round = 0; round < args.rounds; round++) {
  for (const side of sides)
    samples.get(side.name)!.push(await closedLoop(side.task, args.connections, args.seconds));
}

const mean = (list: LoadResult[], key: "p50" | "p99" | "rps" | "errors"): number =>
  list.reduce((sum, sample) => sum + sample[key], 0) / list.length;
console.log(
  `stored MCP-tool responses, concurrency ${args.connections}, ${args.rounds} x ${args.seconds}s interleaved (means)`,
);
for (const side of sides) {
  const list = samples.get(side.name)!;
  console.log(
    `${side.name.padEnd(24)} ${mean(list, "rps").toFixed(0).padStart(6)} req/s   p50 ${mean(list, "p50").toFixed(2).padStart(7)} ms   p99 ${mean(list, "p99").toFixed(2).padStart(7)} ms   errors ${mean(list, "errors")}`,
  );
  for (const sample of list)
    for (const message of sample.errorSamples) console.log(`  error: ${message}`);
}
const rps = (name: string): number => mean(samples.get(name)!, "rps");
console.log(
  `PostgreSQL / SQLite at 1 replica: ${(rps(sides[1]!.name) / rps(sides[0]!.name)).toFixed(2)}x (target ≥ 0.90)   2 replicas / 1 on PostgreSQL: ${(rps(sides[2]!.name) / rps(sides[1]!.name)).toFixed(2)}x (target ≥ 1.70)`,
);

/** What one stored response costs PostgreSQL: a measured batch on one replica. */
const stats = new pg.Client(target);
await stats.connect();
async function snapshot(): Promise<Record<string, number>> {
  await stats.query("SELECT pg_stat_force_next_flush()").catch(() => undefined);
  const rows = await stats.query<Record<string, string>>(
    `SELECT xact_commit, tup_inserted, tup_updated, tup_deleted, tup_fetched + tup_returned AS tup_read,
            pg_database_size(current_database()) AS bytes
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  return Object.fromEntries(
    Object.entries(rows.rows[0]!).map(([key, value]) => [key, Number(value)]),
  );
}
const batch = 500;
await new Promise((resolve) => setTimeout(resolve, 1500));
const before = await snapshot();
const one = responses([postgresA]);
for (let index = 0; index < batch; index += 1) await one();
await new Promise((resolve) => setTimeout(resolve, 1500));
const after = await snapshot();
console.log(
  `per stored MCP-tool response on PostgreSQL (${batch} sequential): ${Object.keys(before)
    .map((key) => `${key} ${((after[key]! - before[key]!) / batch).toFixed(1)}`)
    .join(", ")} (bytes: database growth incl. indexes)`,
);

await stats.end();
for (const server of [sqlite, postgresA, postgresB]) {
  server.child.kill("SIGTERM");
  await server.exited;
}
await mcp.stop();
await model.stop();
await maintenance.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
await maintenance.end();
await rm(home, { recursive: true, force: true });
