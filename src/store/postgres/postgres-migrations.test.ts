import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { postgresTestDatabase } from "../../../test/support/postgres.js";
import type { PostgresBackendConfig } from "../../config/patchbay-config.js";
import { SchemaVersionError, type Migration } from "../migration.js";
import { openPostgresDatabase } from "./open-postgres-database.js";
import type { PostgresDatabase } from "./postgres-database.js";
import { applyPostgresMigrations, postgresMigrations } from "./postgres-migrations.js";

const postgres = postgresTestDatabase();
const logger = pino({ level: "silent" });
const opened: PostgresDatabase[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

async function open(
  backend: PostgresBackendConfig,
  migrations?: readonly Migration[],
): Promise<PostgresDatabase> {
  const database = await openPostgresDatabase(backend, {
    logger,
    ...(migrations === undefined ? {} : { migrations }),
  });
  opened.push(database);
  return database;
}

const applied = (schema: string) =>
  postgres.query<{ version: number; name: string }>(
    `SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`,
  );
const tableExists = async (schema: string, table: string): Promise<boolean> =>
  (
    await postgres.query("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2", [
      schema,
      table,
    ])
  ).length > 0;
const latest = postgresMigrations.at(-1)?.version ?? 0;

describe.skipIf(postgres.skipReason !== null)("PostgreSQL migrations", () => {
  it("creates the schema and records every migration once, however often it is opened", async () => {
    const backend = postgres.backend();
    await (await open(backend)).close();
    await (await open(backend)).close();
    const database = await open(backend);
    expect(await applied(backend.schema)).toEqual(
      postgresMigrations.map(({ version, name }) => ({ version, name })),
    );
    expect(await applyPostgresMigrations(database, backend.schema)).toBe(latest);
  });

  it("migrates exactly once when ten replicas open a fresh schema at the same time", async () => {
    const backend = postgres.backend();
    // A migration with a side effect: run twice, it would count 2 (or fail on the CREATE).
    const counted: Migration[] = [
      ...postgresMigrations,
      {
        version: latest + 1,
        name: "counted",
        sql: "CREATE TABLE migration_runs (n integer); INSERT INTO migration_runs VALUES (1)",
      },
    ];
    const replicas = await Promise.all(
      Array.from({ length: 10 }, () => open({ ...backend, maxConnections: 1 }, counted)),
    );
    expect(replicas).toHaveLength(10);
    expect(await postgres.query(`SELECT n FROM "${backend.schema}".migration_runs`)).toEqual([
      { n: 1 },
    ]);
    expect((await applied(backend.schema)).map(({ version }) => version)).toEqual(
      counted.map(({ version }) => version),
    );
  });

  it("applies only the new migration when one is appended", async () => {
    const backend = postgres.backend();
    const database = await open(backend);
    const appended = [
      ...postgresMigrations,
      { version: latest + 1, name: "extra", sql: "CREATE TABLE extra (x integer)" },
    ];
    expect(await applyPostgresMigrations(database, backend.schema, appended)).toBe(latest + 1);
    expect((await applied(backend.schema)).at(-1)).toEqual({ version: latest + 1, name: "extra" });
    expect(await tableExists(backend.schema, "extra")).toBe(true);
  });

  it("rolls back a failing migration and leaves the version where it was", async () => {
    const backend = postgres.backend();
    const database = await open(backend);
    const broken = [
      ...postgresMigrations,
      {
        version: latest + 1,
        name: "broken",
        sql: "CREATE TABLE half (x integer); SELECT * FROM missing",
      },
    ];
    await expect(applyPostgresMigrations(database, backend.schema, broken)).rejects.toThrow(
      /"missing" does not exist/,
    );
    expect(await tableExists(backend.schema, "half")).toBe(false);
    expect(await applyPostgresMigrations(database, backend.schema)).toBe(latest);
  });

  it("refuses a schema written by a newer Patchbay, naming it but not the password", async () => {
    const backend = { ...postgres.backend(), password: "never-shown-9f2" };
    await open(backend);
    await postgres.query(
      `INSERT INTO "${backend.schema}".schema_migrations (version, name) VALUES (999, 'future')`,
    );
    const error: unknown = await open(backend).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SchemaVersionError);
    expect(String(error)).toMatch(
      new RegExp(`schema "${backend.schema}" of PostgreSQL .* has schema version 999, newer than`),
    );
    expect(String(error)).not.toContain("never-shown-9f2");
  });

  it("rejects a migration list that is not strictly increasing", async () => {
    const backend = postgres.backend();
    const unordered = [...postgresMigrations, { version: 1, name: "again", sql: "SELECT 1" }];
    await expect(open(backend, unordered)).rejects.toThrow(/increasing/);
  });

  it("uses a schema created beforehand, and keeps other schemas apart", async () => {
    const first = postgres.backend();
    const second = postgres.backend();
    await postgres.query(`CREATE SCHEMA "${second.schema}"`);
    await open(first);
    await open(second);
    for (const schema of [first.schema, second.schema]) {
      expect(await tableExists(schema, "responses")).toBe(true);
    }
    await postgres.query(
      `INSERT INTO "${first.schema}".managed_connectors VALUES ('x', '{}', 1, now(), now())`,
    );
    expect(await postgres.query(`SELECT id FROM "${second.schema}".managed_connectors`)).toEqual(
      [],
    );
  });
});
