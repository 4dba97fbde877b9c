/**
 * Propagation between replicas (issue 13 "Benchmarks", §2; ADR 0029): two Patchbay processes on
 * one PostgreSQL database. Each round writes on replica A and, from the moment A's 2xx arrives,
 * asks replica B back to back until B's answer shows the write; the figure is the time from A's
 * 2xx to the start of that first request. Connectors are read through (expected ≈ one request
 * gap); a registry is known to B once B heard the NOTIFY and started its sync loop (the first
 * `POST …/sync` that is not a 404). Target: p99 ≤ 1 s (ambition ≤ 50 ms).
 *
 *   npm run bench -- propagation [--rounds 50]
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { Client } from "pg";
import { adminConnection, testPostgresUrl } from "../test/support/postgres-target.js";
import { startReplicaCluster, type Replica } from "../test/support/replica-cluster.js";
import { startScriptedModel } from "../test/support/scripted-model-server.js";
import { startProcess } from "./support/processes.js";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "50" } },
  allowPositionals: true,
});
const rounds = Number(values.rounds);

const url = testPostgresUrl(process.env);
const databaseName = `pb_bench_propagation_${process.pid}`;
const maintenance = new Client(adminConnection(url));
await maintenance.connect();
await maintenance.query(`CREATE DATABASE "${databaseName}"`);
const target = adminConnection(url, databaseName);

const model = await startScriptedModel({ fallback: { text: "unused" }, record: false });
const registry = await startProcess(
  "bench/support/synthetic-registry-process.ts",
  ["--servers", "1"],
  {},
  /^http:/,
);
const cluster = await startReplicaCluster({
  count: 2,
  backend: {
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
    maxConnections: 4,
    maxConnectionLifetimeS: null,
    statementTimeoutMs: 5_000,
    connectTimeoutMs: 5_000,
  },
  modelUrl: model.url,
});

try {
  const [writer, reader] = cluster.replicas as [Replica, Replica];
  const json = (value: unknown) => ({ method: "POST", body: JSON.stringify(value) });

  /** Writes on A, then asks B until `seen`; ms from A's 2xx to the start of B's first yes. */
  async function measure(
    write: () => Promise<Response>,
    ask: () => Promise<Response>,
    seen: (response: Response) => boolean,
  ): Promise<number> {
    const written = await write();
    if (!written.ok) throw new Error(`write failed: ${written.status} ${await written.text()}`);
    await written.arrayBuffer();
    const acknowledged = performance.now();
    for (;;) {
      const asked = performance.now();
      const answer = await ask();
      await answer.arrayBuffer();
      if (seen(answer)) return asked - acknowledged;
      missed += 1;
    }
  }
  /** Requests on B that did not see the write yet, over all rounds. */
  let missed = 0;

  const connectorCreate: number[] = [];
  const connectorDelete: number[] = [];
  const registryCreate: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const id = `bench_${round}`;
    connectorCreate.push(
      await measure(
        () =>
          writer.api(
            "/v1/admin/connectors",
            json({ connector_id: id, url: "http://127.0.0.1:9/mcp", transport: "streamable-http" }),
          ),
        () => reader.api(`/v1/admin/connectors/${id}`),
        (answer) => answer.status === 200,
      ),
    );
    connectorDelete.push(
      await measure(
        () => writer.api(`/v1/admin/connectors/${id}`, { method: "DELETE" }),
        () => reader.api(`/v1/admin/connectors/${id}`),
        (answer) => answer.status === 404,
      ),
    );
    const registryId = `reg${round}`;
    registryCreate.push(
      await measure(
        () =>
          writer.api(
            "/v1/admin/mcp_registries",
            json({ id: registryId, url: registry.line.trim(), sync_interval_s: 3600 }),
          ),
        () => reader.api(`/v1/admin/mcp_registries/${registryId}/sync`, { method: "POST" }),
        (answer) => answer.status !== 404,
      ),
    );
    await writer.api(`/v1/admin/mcp_registries/${registryId}`, { method: "DELETE" });
  }

  const summary = (name: string, samples: number[]) => {
    const sorted = [...samples].sort((left, right) => left - right);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    console.log(
      `${name.padEnd(28)} p50 ${at(0.5).toFixed(2)} ms  p99 ${at(0.99).toFixed(2)} ms  max ${sorted.at(-1)!.toFixed(2)} ms  (${samples.length} rounds)`,
    );
  };
  console.log("time from A's 2xx to the first request on B that sees the write");
  summary("connector created", connectorCreate);
  summary("connector deleted", connectorDelete);
  summary("registry created (NOTIFY)", registryCreate);
  console.log(`requests on B that did not see the write yet: ${missed}`);
} finally {
  await cluster.close();
  await registry.stop();
  await model.close();
  await maintenance.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await maintenance.end();
}
