/**
 * Vitest global setup: probes PostgreSQL once per run (issue 13 "Tests"). Reachable: the test
 * files get its URL through `inject("postgres")`. Unreachable: one printed line says why and the
 * PostgreSQL tests skip, unless `CI=true`, where a missing database fails the run. Also drops
 * databases that earlier, killed runs left behind (`pb_test_<unix seconds>_…`, over an hour old).
 */
import { Client } from "pg";
import type { TestProject } from "vitest/node";
import {
  adminConnection,
  describeTarget,
  STALE_DATABASE_AGE_S,
  testDatabaseCreatedAt,
  testPostgresUrl,
} from "./postgres-target.js";

const PROBE_TIMEOUT_MS = 3_000;

export default async function setup(project: TestProject): Promise<void> {
  const url = testPostgresUrl(process.env);
  const client = new Client({ ...adminConnection(url), connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await dropStaleDatabases(client);
    project.provide("postgres", { url, skipReason: null });
  } catch (error) {
    const reason = `PostgreSQL not reachable at ${describeTarget(url)} (${failureCode(error)})`;
    if (process.env.CI === "true") {
      throw new Error(`${reason}: CI=true requires the PostgreSQL tests`, { cause: error });
    }
    const line = `${reason}: PostgreSQL tests skipped; CI=true makes them required`;
    console.log(line);
    project.provide("postgres", { url: null, skipReason: line });
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropStaleDatabases(client: Client): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    "SELECT datname AS name FROM pg_database WHERE datname LIKE 'pb\\_test\\_%'",
  );
  const now = Date.now() / 1000;
  for (const { name } of rows) {
    const createdAt = testDatabaseCreatedAt(name);
    if (createdAt !== null && now - createdAt > STALE_DATABASE_AGE_S) {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  }
}

function failureCode(error: unknown): string {
  if (error instanceof Error && "code" in error && typeof error.code === "string")
    return error.code;
  return error instanceof Error ? error.message : String(error);
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The PostgreSQL the tests use, or why there is none. */
    postgres: { url: string | null; skipReason: string | null };
  }
}
