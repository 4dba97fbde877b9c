import { describe, expect, it } from "vitest";
import { describeRegistryMirrorContract } from "../../../test/contract/registry-mirror-contract.js";
import { sampleEntry } from "../../../test/contract/sample-registry-entries.js";
import { temporarySqlite } from "../../../test/support/temporary-sqlite.js";
import { StoredValueError } from "../read-stored-json.js";
import { openSqliteDatabase, type SqliteDatabase } from "./open-sqlite-database.js";
import { SqliteRegistryMirror } from "./sqlite-registry-mirror.js";

const { freshDatabasePath, open } = temporarySqlite();

describeRegistryMirrorContract("SqliteRegistryMirror in memory", () => {
  const db = openSqliteDatabase(":memory:");
  return Promise.resolve({
    mirror: new SqliteRegistryMirror(db),
    cleanup() {
      db.close();
      return Promise.resolve();
    },
  });
});

describeRegistryMirrorContract("SqliteRegistryMirror on a file", async () => {
  const db = openSqliteDatabase(await freshDatabasePath());
  return {
    mirror: new SqliteRegistryMirror(db),
    cleanup() {
      db.close();
      return Promise.resolve();
    },
  };
});

describe("SqliteRegistryMirror specifics", () => {
  const plan = (db: SqliteDatabase, sql: string, ...parameters: unknown[]): string =>
    db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...parameters)
      .map((row) => row.detail)
      .join("\n");

  it("serves listing and search from the covering listing index, without sorting", () => {
    const db = open();
    const listing = `SELECT connector_id FROM registry_servers
      WHERE is_latest = 1 AND has_remotes = 1 AND connector_id > ? AND connector_id < ?
      AND instr(search_text, ?) > 0 ORDER BY connector_id LIMIT ?`;
    const detail = plan(db, listing, "", "mcp:;", "x", 21);
    expect(detail).toContain("registry_servers_listing");
    expect(detail).not.toContain("TEMP B-TREE");
  });

  it("keeps exactly one latest row per name across changes", async () => {
    const db = open();
    const mirror = new SqliteRegistryMirror(db);
    const name = "io.example/flip";
    await mirror.applyEntries("reg", [sampleEntry(name, "1.0.0"), sampleEntry(name, "0.9.0")]);
    await mirror.applyEntries("reg", [sampleEntry(name, "2.0.0")]);
    await mirror.applyEntries("reg", [sampleEntry(name, "2.0.0", { status: "deleted" })]);
    const latestRows = db
      .prepare<[string], { version: string }>(
        "SELECT version FROM registry_servers WHERE name = ? AND is_latest = 1",
      )
      .all(name);
    expect(latestRows).toEqual([{ version: "1.0.0" }]);
  });

  it.each([
    ["not JSON", "[{"],
    ["a remote of an unknown type", '[{"type":"stdio","url":"x","headers":[],"variables":{}}]'],
    [
      "a remote with an unknown key",
      '[{"type":"sse","url":"x","headers":[],"variables":{},"extra":1}]',
    ],
  ])("reads remotes that are %s as a StoredValueError naming the row", async (_, remotes) => {
    const db = open();
    const mirror = new SqliteRegistryMirror(db);
    await mirror.applyEntries("reg", [sampleEntry("io.example/x", "1.0.0")]);
    db.prepare("UPDATE registry_servers SET remotes_json = ?").run(remotes);
    for (const read of [mirror.getLatest("reg", "io.example/x"), mirror.list({ limit: 5 })]) {
      const error: unknown = await read.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoredValueError);
      expect(error).toMatchObject({
        table: "registry_servers",
        id: "mcp::reg::io.example/x@1.0.0",
      });
    }
  });
});
