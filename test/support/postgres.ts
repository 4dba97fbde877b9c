/**
 * A PostgreSQL database of its own for one test file (issue 13 "Tests"), created before the file's
 * tests and dropped after them, so files run in parallel. Each store a test opens gets a fresh
 * schema in it (the contract suites want empty data per test; a schema costs milliseconds, a
 * database a few hundred). When the global setup found no PostgreSQL, `skipReason` says why and
 * the file's PostgreSQL blocks skip.
 */
import { Client } from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import type { PostgresBackendConfig } from "../../src/config/patchbay-config.js";
import { adminConnection, newTestDatabaseName } from "./postgres-target.js";

export interface PostgresTestDatabase {
  /** Why the PostgreSQL tests skip, or null when they run. */
  readonly skipReason: string | null;
  /** This file's database, with small pools and short timeouts; a fresh schema unless given. */
  backend(overrides?: Partial<Omit<PostgresBackendConfig, "kind">>): PostgresBackendConfig;
  /** A schema name not used yet in this file's database. */
  freshSchema(): string;
  /** Runs SQL as the administrator on this file's database. */
  query<Row>(sql: string, parameters?: readonly unknown[]): Promise<Row[]>;
  /** `pg_terminate_backend` on every Patchbay connection to this file's database; how many. */
  terminatePatchbayConnections(): Promise<number>;
}

/** Call at a test file's top level: it registers the hooks that create and drop the database. */
export function postgresTestDatabase(): PostgresTestDatabase {
  const { url, skipReason } = inject("postgres");
  const databaseName = newTestDatabaseName();
  let admin: Client | null = null;
  let schemaCount = 0;

  beforeAll(async () => {
    if (url === null) return;
    const maintenance = new Client(adminConnection(url));
    await maintenance.connect();
    try {
      await maintenance.query(`CREATE DATABASE "${databaseName}"`);
    } finally {
      await maintenance.end();
    }
    admin = new Client(adminConnection(url, databaseName));
    await admin.connect();
  });

  afterAll(async () => {
    if (url === null) return;
    await admin?.end();
    const maintenance = new Client(adminConnection(url));
    await maintenance.connect();
    try {
      await maintenance.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    } finally {
      await maintenance.end();
    }
  });

  const connected = (): Client => {
    if (admin === null) throw new Error("PostgreSQL is not connected (skipped, or outside a test)");
    return admin;
  };
  const freshSchema = (): string => {
    schemaCount += 1;
    return `test_${schemaCount}`;
  };

  return {
    skipReason,
    backend(overrides = {}) {
      if (url === null) throw new Error(skipReason ?? "PostgreSQL is not available");
      const target = adminConnection(url, databaseName);
      return {
        name: "pg_test",
        kind: "postgres",
        host: target.host ?? "127.0.0.1",
        port: target.port ?? 5432,
        database: databaseName,
        user: target.user ?? "postgres",
        password: typeof target.password === "string" ? target.password : null,
        schema: overrides.schema ?? freshSchema(),
        sslMode: "disable",
        caCertPath: null,
        maxConnections: 4,
        maxConnectionLifetimeS: null,
        // Generous: these waits include queueing for one of 4 pooled connections, which takes
        // seconds when other test files load the machine (200 concurrent contract writes did).
        // Tests about timeouts set their own.
        statementTimeoutMs: 10_000,
        connectTimeoutMs: 10_000,
        ...overrides,
      };
    },
    freshSchema,
    async query<Row>(sql: string, parameters: readonly unknown[] = []): Promise<Row[]> {
      const result = await connected().query(sql, [...parameters]);
      return result.rows as Row[];
    },
    async terminatePatchbayConnections() {
      const result = await connected().query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = $1 AND application_name = 'patchbay'`,
        [databaseName],
      );
      return result.rowCount ?? 0;
    },
  };
}
