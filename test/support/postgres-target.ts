/**
 * Where the PostgreSQL tests connect: `PATCHBAY_TEST_POSTGRES_URL`, by default the machine's
 * server at `postgres://postgres@127.0.0.1:5432/postgres` (trust authentication). Test databases
 * are named `pb_test_<unix seconds>_<random>`, so a later run can tell which ones were abandoned.
 */
import type { ClientConfig } from "pg";
import { parsePostgresUrl } from "../../src/config/postgres-backend-schema.js";

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/** Databases of killed runs older than this are dropped by the next run's global setup. */
export const STALE_DATABASE_AGE_S = 3600;

export function testPostgresUrl(env: NodeJS.ProcessEnv): string {
  const url = env["PATCHBAY_TEST_POSTGRES_URL"];
  return url === undefined || url === "" ? DEFAULT_URL : url;
}

/** The URL's connection as `pg` takes it, optionally on another database. */
export function adminConnection(url: string, database?: string): ClientConfig {
  const target = parsePostgresUrl(url);
  if (typeof target === "string") throw new Error(`PATCHBAY_TEST_POSTGRES_URL: ${target}`);
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    database: database ?? target.database,
    ...(target.password === undefined ? {} : { password: target.password }),
  };
}

/** `host:port`, for messages (never the password). */
export function describeTarget(url: string): string {
  const target = parsePostgresUrl(url);
  return typeof target === "string"
    ? "an invalid PATCHBAY_TEST_POSTGRES_URL"
    : `${target.host}:${target.port}`;
}

export function newTestDatabaseName(): string {
  const random = Math.random().toString(36).slice(2, 10);
  return `pb_test_${Math.floor(Date.now() / 1000)}_${random}`;
}

export function testDatabaseCreatedAt(name: string): number | null {
  const match = /^pb_test_(\d+)_/.exec(name);
  return match?.[1] === undefined ? null : Number(match[1]);
}
