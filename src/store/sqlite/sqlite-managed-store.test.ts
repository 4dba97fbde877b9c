import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import {
  describeManagedStoreContract,
  type ManagedStoreFactory,
} from "../../../test/contract/managed-store-contract.js";
import {
  connectorSamples,
  registrySamples,
  sampleConnectorConfig,
  sampleRegistryConfig,
} from "../../../test/contract/sample-managed-values.js";
import { temporarySqlite } from "../../../test/support/temporary-sqlite.js";
import type { ConnectorConfig } from "../../connectors/connector-schema.js";
import { RevisionMismatchError, type ManagedStore } from "../managed-store.js";
import { openSqliteDatabase, type SqliteDatabase } from "./open-sqlite-database.js";
import type { ManagedTable } from "../managed-table.js";
import { StoredValueError } from "../read-stored-json.js";
import {
  createSqliteManagedConnectorStore,
  createSqliteManagedRegistryStore,
  SqliteManagedStore,
} from "./sqlite-managed-store.js";

const { freshDatabasePath, open } = temporarySqlite();

/** A factory over temp files; `create` builds the store under test on an open database. */
function fileFactory<T>(create: (db: SqliteDatabase) => ManagedStore<T>): ManagedStoreFactory<T> {
  return async (location) => {
    const dbPath = location ?? (await freshDatabasePath());
    const db = openSqliteDatabase(dbPath);
    const close = (): Promise<void> => {
      if (db.open) db.close();
      return Promise.resolve();
    };
    return { store: create(db), location: dbPath, close, cleanup: close };
  };
}

describeManagedStoreContract(
  "SqliteManagedStore of connectors on a file",
  fileFactory(createSqliteManagedConnectorStore),
  connectorSamples,
);

describeManagedStoreContract(
  "SqliteManagedStore of registries on a file",
  fileFactory(createSqliteManagedRegistryStore),
  registrySamples,
);

describe("SqliteManagedStore specifics", () => {
  const setBody = (db: SqliteDatabase, table: ManagedTable, id: string, body: string): void => {
    db.prepare(`UPDATE ${table} SET body = ? WHERE id = ?`).run(body, id);
  };

  it("keeps connectors and registries apart on one database", async () => {
    const db = open();
    const connectors = createSqliteManagedConnectorStore(db);
    const registries = createSqliteManagedRegistryStore(db);
    await connectors.create("same", sampleConnectorConfig("same", 1));
    await registries.create("same", sampleRegistryConfig("same", 1));
    expect((await connectors.list()).map((stored) => stored.value.connectorId)).toEqual(["same"]);
    expect(await registries.get("same")).toMatchObject({ value: { syncIntervalS: 61 } });
    expect(await connectors.delete("same")).toBe(true);
    expect(await registries.get("same")).not.toBeNull();
  });

  it.each([
    ["a body that is not JSON", "{not json"],
    ["a field of the wrong type", JSON.stringify({ ...sampleConnectorConfig("x", 0), url: 7 })],
    ["an unknown key", JSON.stringify({ ...sampleConnectorConfig("x", 0), extra: true })],
    ["a missing field", JSON.stringify({ ...sampleConnectorConfig("x", 0), headers: undefined })],
  ])("rejects a row with %s as a StoredValueError, not a client error", async (_, body) => {
    const db = open();
    const store = createSqliteManagedConnectorStore(db);
    await store.create("x", sampleConnectorConfig("x", 0));
    setBody(db, "managed_connectors", "x", body);
    for (const read of [store.get("x"), store.list()]) {
      const error: unknown = await read.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoredValueError);
      expect(error).toMatchObject({ table: "managed_connectors", id: "x" });
      expect(error).not.toBeInstanceOf(ZodError);
    }
  });

  it("refuses to store a value its schema rejects, and writes nothing", async () => {
    const db = open();
    const store = createSqliteManagedConnectorStore(db);
    const invalid = { ...sampleConnectorConfig("bad", 0), timeoutMs: 0 };
    const createError: unknown = await store
      .create("bad", invalid)
      .catch((caught: unknown) => caught);
    expect(createError).toBeInstanceOf(StoredValueError);
    expect(createError).toMatchObject({ cause: expect.any(ZodError) });
    expect(await store.list()).toEqual([]);

    const created = await store.create("good", sampleConnectorConfig("good", 0));
    const smuggled = { ...sampleConnectorConfig("good", 1), extra: 1 } as ConnectorConfig;
    await expect(store.update("good", smuggled)).rejects.toThrow(StoredValueError);
    expect(await store.get("good")).toEqual(created);
  });

  it("returns what a later read returns, not the caller's object", async () => {
    const store = createSqliteManagedConnectorStore(open());
    const value = sampleConnectorConfig("copy", 2);
    const created = await store.create("copy", value);
    value.headers.Injected = "later";
    expect(created.value).not.toBe(value);
    expect(created.value.headers).toEqual({});
    expect((await store.get("copy"))?.value.headers).toEqual({});
  });

  it("checks revisions against writes made through another connection to the file", async () => {
    const dbPath = await freshDatabasePath();
    const first = createSqliteManagedRegistryStore(open(dbPath));
    const second = createSqliteManagedRegistryStore(open(dbPath));
    await first.create("shared", sampleRegistryConfig("shared", 0));
    await second.update("shared", sampleRegistryConfig("shared", 1), 1);
    const error: unknown = await first
      .update("shared", sampleRegistryConfig("shared", 2), 1)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RevisionMismatchError);
    expect(error).toMatchObject({ currentRevision: 2 });
    await expect(first.delete("shared", 1)).rejects.toThrow(RevisionMismatchError);
    expect(await first.get("shared")).toMatchObject({
      revision: 2,
      value: sampleRegistryConfig("shared", 1),
    });
  });

  it("refuses a table name outside the managed tables", () => {
    const db = open();
    const parse = (json: unknown): unknown => json;
    const table: string = "responses";
    expect(() => new SqliteManagedStore(db, table as ManagedTable, parse)).toThrow(
      /Unknown managed table/,
    );
  });

  it("creates both managed tables as STRICT", () => {
    const db = open();
    for (const table of ["managed_connectors", "managed_registries"]) {
      const insert = db.prepare(
        `INSERT INTO ${table} (id, body, revision, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
      );
      expect(() => insert.run("id", "{}", "not a number", "t", "t")).toThrow(/cannot store TEXT/);
    }
  });
});
