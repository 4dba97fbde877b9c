import { describe, expect, it } from "vitest";
import {
  describeResponseStoreContract,
  type ResponseStoreUnderTest,
} from "../../../test/contract/response-store-contract.js";
import { sampleRecord } from "../../../test/contract/sample-stored-responses.js";
import { temporarySqlite } from "../../../test/support/temporary-sqlite.js";
import type { ConversationItem } from "../../responses/response-types.js";
import { SchemaVersionError } from "../migration.js";
import { StoredValueError } from "../read-stored-json.js";
import { applyMigrations, migrations } from "./migrations.js";
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
      ...original,
      response: { ...original.response, status: "failed" as const },
      inputItems: [...original.inputItems, invalidItem],
    };
    await expect(store.save(broken)).rejects.toThrow(/NOT NULL/);
    expect(await store.get(original.response.id)).toEqual(original);
  });

  it.each([
    [
      "another response's body",
      (body: string) => body.replace(/"id":"resp_[^"]+"/, '"id":"resp_other"'),
    ],
    ["a body that is not a Response", () => JSON.stringify({ id: "x", object: "list" })],
    ["a truncated body", (body: string) => body.slice(0, 20)],
  ])("reads %s back as a StoredValueError naming the row", async (_, corrupt) => {
    const db = open();
    const store = new SqliteResponseStore(db);
    const record = sampleRecord(1);
    await store.save(record);
    const { body } = db
      .prepare<[string], { body: string }>("SELECT body FROM responses WHERE id = ?")
      .get(record.response.id)!;
    db.prepare("UPDATE responses SET body = ? WHERE id = ?").run(corrupt(body), record.response.id);
    const error: unknown = await store.get(record.response.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoredValueError);
    expect(error).toMatchObject({ table: "responses", id: record.response.id });
  });

  it("reads an input item stored under another item's id as a StoredValueError", async () => {
    const db = open();
    const store = new SqliteResponseStore(db);
    const record = sampleRecord(2);
    await store.save(record);
    const [first, second] = record.inputItems;
    db.prepare("UPDATE response_input_items SET body = ? WHERE item_id = ?").run(
      JSON.stringify(second),
      first!.id,
    );
    for (const read of [
      store.get(record.response.id),
      store.listInputItems(record.response.id, { limit: 10, order: "asc" }),
    ]) {
      const error: unknown = await read.catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        name: "StoredValueError",
        table: "response_input_items",
        id: first!.id,
      });
    }
  });
});
