/**
 * Table sizes per million stored responses on PostgreSQL (issue 13 §5, README "Retention"): saves
 * `--responses` typical responses (an MCP tool listing, a call and an answer, three input items)
 * through `PostgresResponseStore`, then reads `pg_total_relation_size` (heap, TOAST and indexes)
 * of `responses` and `response_input_items` and extrapolates to one million.
 *
 *   npm run bench -- storage-size [--responses 20000]
 */
import { parseArgs } from "node:util";
import { Client } from "pg";
import pino from "pino";
import { openPostgresDatabase } from "../src/store/postgres/open-postgres-database.js";
import { PostgresResponseStore } from "../src/store/postgres/postgres-response-store.js";
import { richRecord, sampleItems } from "../test/contract/sample-stored-responses.js";
import { adminConnection, testPostgresUrl } from "../test/support/postgres-target.js";

const { values } = parseArgs({
  options: { responses: { type: "string", default: "20000" } },
  allowPositionals: true,
});
const count = Number(values.responses);
const url = testPostgresUrl(process.env);
const databaseName = `pb_bench_size_${process.pid}`;
const maintenance = new Client(adminConnection(url));
await maintenance.connect();
await maintenance.query(`CREATE DATABASE "${databaseName}"`);
const target = adminConnection(url, databaseName);
const database = await openPostgresDatabase(
  {
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
    maxConnections: 8,
    maxConnectionLifetimeS: null,
    statementTimeoutMs: 30_000,
    connectTimeoutMs: 10_000,
  },
  { logger: pino({ level: "silent" }) },
);
try {
  const store = new PostgresResponseStore(database);
  const sample = richRecord();
  const bodyBytes = Buffer.byteLength(JSON.stringify(sample.response));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        next += 1;
        const record = richRecord();
        await store.save({ ...record, inputItems: sampleItems(3) });
      }
    }),
  );
  const sizes = await database.read(async (session) => {
    await session.query("VACUUM ANALYZE responses");
    const result = await session.query<{ relation: string; bytes: string }>(
      `SELECT relname AS relation, pg_total_relation_size(oid)::text AS bytes
       FROM pg_class WHERE relname IN ('responses', 'response_input_items') ORDER BY relname`,
    );
    return result.rows;
  });
  console.log(`${count} responses (body ≈ ${bodyBytes} bytes of JSON, 3 input items each)`);
  for (const { relation, bytes } of sizes) {
    const perMillion = (Number(bytes) / count) * 1_000_000;
    console.log(
      `${relation.padEnd(22)} ${(Number(bytes) / 2 ** 20).toFixed(1)} MiB → ${(perMillion / 2 ** 30).toFixed(2)} GiB per million`,
    );
  }
} finally {
  await database.close();
  await maintenance.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await maintenance.end();
}
