import { describe, expect, it } from "vitest";
import {
  describeResponseStoreContract,
  type ResponseStoreUnderTest,
} from "../../../test/contract/response-store-contract.js";
import { sampleRecord } from "../../../test/contract/sample-stored-responses.js";
import { temporarySqlite } from "../../../test/support/temporary-sqlite.js";
import type { ConversationItem } from "../../responses/response-types.js";
import { applyMigrations, migrations, SchemaVersionError } from "./migrations.js";
import { openSqliteDatabase, type SqliteDatabase } from "./open-sqlite-database.js";
import { SqliteResponseStore } from "./sqlite-response-store.js";

const { freshDatabasePath, open } = temporarySqlite();

async function makeFileStore(location?: string): Promise<ResponseStoreUnderTest> {
  const dbPath = location ?? (await freshDatabasePath());
  const store = new SqliteResponseStore(openSqliteDatabase(dbPath));
  return { store, location: dbPath, cleanup: () => store.close() };
}

describeResponseStoreContract("SqliteResponseStore on a file", makeFileStore);

describeResponseStoreContract(
  "SqliteResponseStore in memory",
  () => {
    const store = new SqliteResponseStore(openSqliteDatabase(":memory:"));
    return Promise.resolve({ store, location: ":memory:", cleanup: () => store.close() });
  },
  { reopen: false },
);

describe("SQLite specifics", () => {
  const appliedMigrations = (db: SqliteDatabase) =>
    db
      .prepare<[], { version: number; name: string }>(
        "SELECT version, name FROM schema_migrations ORDER BY version",
      )
      .all();
  const tableExists = (db: SqliteDatabase, table: string): boolean =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !==
    undefined;

  it("creates the parent directory and sets the pragmas", async () => {
    const db = open(await freshDatabasePath());
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(1);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
  });

  it("records every migration once, however often the file is reopened", async () => {
    const dbPath = await freshDatabasePath();
    open(dbPath).close();
    open(dbPath).close();
    const db = open(dbPath);
    const expected = migrations.map(({ version, name }) => ({ version, name }));
    expect(appliedMigrations(db)).toEqual(expected);
    expect(applyMigrations(db)).toBe(migrations.at(-1)?.version);
  });

  it("applies only the new migration when one is appended", async () => {
    const db = open(await freshDatabasePath());
    const next = (migrations.at(-1)?.version ?? 0) + 1;
    const appended = [
      ...migrations,
      { version: next, name: "extra", sql: "CREATE TABLE extra (x)" },
    ];
    expect(applyMigrations(db, appended)).toBe(next);
    expect(appliedMigrations(db).map(({ version }) => version)).toEqual(
      appended.map(({ version }) => version),
    );
    expect(tableExists(db, "extra")).toBe(true);
  });

  it("rolls back a failing migration and leaves the version where it was", async () => {
    const db = open(await freshDatabasePath());
    const before = applyMigrations(db);
    const broken = [
      ...migrations,
      { version: before + 1, name: "broken", sql: "CREATE TABLE half (x); SELECT * FROM missing" },
    ];
    expect(() => applyMigrations(db, broken)).toThrow(/missing/);
    expect(tableExists(db, "half")).toBe(false);
    expect(applyMigrations(db)).toBe(before);
  });

  it("refuses a database written by a newer Patchbay", async () => {
    const dbPath = await freshDatabasePath();
    const db = open(dbPath);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
      999,
      "future",
      Date.now(),
    );
    db.close();
    expect(() => openSqliteDatabase(dbPath)).toThrow(SchemaVersionError);
    expect(() => openSqliteDatabase(dbPath)).toThrow(/schema version 999, newer than/);
  });

  it("rejects a migration list that is not strictly increasing", () => {
    const db = open(":memory:");
    const unordered = [...migrations, { version: 1, name: "again", sql: "SELECT 1" }];
    expect(() => applyMigrations(db, unordered)).toThrow(/increasing/);
  });

  it("cascades a delete to the input item rows", async () => {
    const db = open(await freshDatabasePath());
    const store = new SqliteResponseStore(db);
    const record = sampleRecord(3);
    await store.save(record);
    const countItems = () =>
      db
        .prepare<[string], { count: number }>(
          "SELECT COUNT(*) AS count FROM response_input_items WHERE response_id = ?",
        )
        .get(record.response.id)?.count;
    expect(countItems()).toBe(3);
    await store.delete(record.response.id);
    expect(countItems()).toBe(0);
  });

  it("keeps the previous version when a save fails part-way", async () => {
    const store = new SqliteResponseStore(open(":memory:"));
    const original = sampleRecord(2);
    await store.save(original);
    const [firstItem] = original.inputItems;
    // An item without an id violates NOT NULL after the response row was already upserted.
    const invalidItem = { ...firstItem, id: null } as unknown as ConversationItem;
    const broken = {
      response: { ...original.response, status: "failed" as const },
      inputItems: [...original.inputItems, invalidItem],
    };
    await expect(store.save(broken)).rejects.toThrow(/NOT NULL/);
    expect(await store.get(original.response.id)).toEqual(original);
  });
});
