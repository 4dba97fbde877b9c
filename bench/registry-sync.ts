/**
 * Registry mirror at scale (issue 5 "Done when", issue 13 "Benchmarks"): a synthetic registry of
 * 20,000 servers served over loopback HTTP by its own process, mirrored through the real
 * `HttpRegistryClient` into a SQLite file and into PostgreSQL (same run), then, on each: time to full mirror (target ≤ 10 s), RSS growth of the syncing process
 * (≤ 150 MB), `getLatest` per lookup (≤ 0.1 ms) and search p99 of `list({search, limit: 20})`
 * (≤ 20 ms).
 *
 *   npm run bench -- registry-sync [--servers 20000] [--lookups 10000] [--search-rounds 40]
 *                                  [--backends sqlite,postgres]
 *
 * PostgreSQL is the server at PATCHBAY_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * in a database created and dropped by the run.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import pino from "pino";
import type { PostgresBackendConfig } from "../src/config/patchbay-config.js";
import { HttpRegistryClient } from "../src/registries/http-registry-client.js";
import { RegistrySync } from "../src/registries/registry-sync.js";
import { openSqliteDatabase } from "../src/store/sqlite/open-sqlite-database.js";
import { SqliteRegistryMirror } from "../src/store/sqlite/sqlite-registry-mirror.js";
import { openPostgresDatabase } from "../src/store/postgres/open-postgres-database.js";
import { PostgresRegistryMirror } from "../src/store/postgres/postgres-registry-mirror.js";
import type { RegistryMirror } from "../src/store/registry-mirror.js";
import { adminConnection, testPostgresUrl } from "../test/support/postgres-target.js";
import { startProcess } from "./support/processes.js";
import { syntheticName } from "./support/synthetic-registry.js";

const { values } = parseArgs({
  options: {
    servers: { type: "string", default: "20000" },
    lookups: { type: "string", default: "10000" },
    "search-rounds": { type: "string", default: "40" },
    backends: { type: "string", default: "sqlite,postgres" },
  },
  allowPositionals: true,
});
const servers = Number(values.servers);
const lookups = Number(values.lookups);
const searchRounds = Number(values["search-rounds"]);
const backends = values.backends.split(",");

const registry = await startProcess(
  "bench/support/synthetic-registry-process.ts",
  ["--servers", String(servers)],
  {},
  /^http:/,
);
const percentile = (sorted: number[], fraction: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
const ms = (value: number): string => `${value.toFixed(3)} ms`;
const verdict = (value: number, target: number): string => (value <= target ? "ok" : "MISSED");

/** One mirror, synced and queried; prints its figures. */
async function measure(label: string, mirror: RegistryMirror): Promise<void> {
  const sync = new RegistrySync({
    registry: {
      id: "bench",
      name: null,
      url: registry.line.trim(),
      headers: {},
      syncIntervalS: 3600,
      include: [],
      exclude: [],
    },
    client: new HttpRegistryClient({ baseUrl: registry.line.trim() }),
    mirror,
    logger: pino({ level: "silent" }),
  });
  // 1. Full mirror, sampling RSS while it runs.
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 10);
  const syncStart = performance.now();
  const full = await sync.syncNow();
  const syncMs = performance.now() - syncStart;
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  const rssGrowthMb = (rssPeak - rssBefore) / 2 ** 20;

  const incrementalStart = performance.now();
  const incremental = await sync.syncNow();
  const incrementalMs = performance.now() - incrementalStart;

  // 2. Resolve: getLatest over random names, each timed.
  const randomName = () => syntheticName(Math.floor(Math.random() * servers));
  for (let index = 0; index < 1000; index += 1) await mirror.getLatest("bench", randomName());
  const lookupTimes: number[] = [];
  const lookupStart = performance.now();
  for (let index = 0; index < lookups; index += 1) {
    const name = randomName();
    const start = performance.now();
    const found = await mirror.getLatest("bench", name);
    lookupTimes.push(performance.now() - start);
    if (found === null) throw new Error(`${name} missing from the mirror`);
  }
  const lookupMean = (performance.now() - lookupStart) / lookups;
  lookupTimes.sort((left, right) => left - right);

  // 3. Search: common, rare, absent and mixed-case terms, plus plain and deep pages.
  const terms = [
    "weather",
    "Stripe Payments",
    "KUBERNETES",
    "server-0199",
    `server-${String(servers - 1).padStart(6, "0")}`,
    "io.bench-17/",
    "crypto crypto",
    "no-such-server-anywhere",
    "e",
    "docs wiki",
  ];
  const middleId = `mcp::bench::${syntheticName(Math.floor(servers / 2))}`;
  const queries = [
    ...terms.map((search) => ({ search, limit: 20 })),
    { limit: 20 },
    { limit: 20, after: middleId, registryId: "bench" },
    { limit: 100, search: "weather", after: middleId },
  ];
  const searchTimes: number[] = [];
  let worst = { time: 0, query: "" };
  for (let round = -2; round < searchRounds; round += 1) {
    for (const query of queries) {
      const start = performance.now();
      await mirror.list(query);
      const time = performance.now() - start;
      if (round < 0) continue;
      searchTimes.push(time);
      if (time > worst.time) worst = { time, query: JSON.stringify(query) };
    }
  }
  searchTimes.sort((left, right) => left - right);
  const searchP99 = percentile(searchTimes, 0.99);

  console.log(
    `registry: ${servers} servers, ${full.versions} versions (${full.servers} names) over loopback HTTP, ${label}`,
  );
  console.log(
    `full mirror:        ${(syncMs / 1000).toFixed(2)} s  (target ≤ 10 s: ${verdict(syncMs, 10_000)})`,
  );
  console.log(
    `RSS growth (peak):  ${rssGrowthMb.toFixed(1)} MB  (target ≤ 150 MB: ${verdict(rssGrowthMb, 150)})`,
  );
  console.log(
    `incremental (none): ${ms(incrementalMs)}  (${incremental.upserted} re-read within the skew margin)`,
  );
  console.log(
    `getLatest:          mean ${ms(lookupMean)}, p50 ${ms(percentile(lookupTimes, 0.5))}, p99 ${ms(percentile(lookupTimes, 0.99))} over ${lookups}  (target ≤ 0.1 ms: ${verdict(lookupMean, 0.1)})`,
  );
  console.log(
    `search list():      p50 ${ms(percentile(searchTimes, 0.5))}, p99 ${ms(searchP99)}, max ${ms(worst.time)} over ${searchTimes.length} queries  (target p99 ≤ 20 ms: ${verdict(searchP99, 20)})`,
  );
  console.log(`slowest query:      ${worst.query}`);

  await sync.stop();
}

const home = await mkdtemp(join(tmpdir(), "patchbay-bench-registry-"));
if (backends.includes("sqlite")) {
  const db = openSqliteDatabase(join(home, "patchbay.db"));
  await measure("SQLite file", new SqliteRegistryMirror(db));
  db.close();
}
if (backends.includes("postgres")) {
  const url = testPostgresUrl(process.env);
  const databaseName = `pb_bench_registry_${Date.now()}`;
  const maintenance = new pg.Client(adminConnection(url));
  await maintenance.connect();
  await maintenance.query(`CREATE DATABASE "${databaseName}"`);
  const target = adminConnection(url, databaseName);
  const backend: PostgresBackendConfig = {
    name: "bench",
    kind: "postgres",
    host: target.host ?? "127.0.0.1",
    port: target.port ?? 5432,
    database: databaseName,
    user: target.user ?? "postgres",
    password: typeof target.password === "string" ? target.password : null,
    schema: "public",
    sslMode: "disable",
    caCertPath: null,
    maxConnections: 10,
    maxConnectionLifetimeS: null,
    statementTimeoutMs: 15_000,
    connectTimeoutMs: 5_000,
  };
  const database = await openPostgresDatabase(backend, { logger: pino({ level: "silent" }) });
  try {
    await measure("PostgreSQL", new PostgresRegistryMirror(database));
  } finally {
    await database.close();
    await maintenance.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await maintenance.end();
  }
}
await registry.stop();
await rm(home, { recursive: true, force: true });
