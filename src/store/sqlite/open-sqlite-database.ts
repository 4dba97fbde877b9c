/**
 * Opens the embedded SQLite database behind the `sql_sqlite`/`kv_sqlite` backends (PRODUCT.md §2
 * "Storage", §8.1: files under `${PATCHBAY_HOME:=./.patchbay}`). Every SQLite store shares one
 * handle opened here, so pragmas and migrations are applied in exactly one place.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { applyMigrations } from "./migrations.js";

/** The driver's connection type, re-exported so the SQLite stores need not name the driver. */
export type SqliteDatabase = BetterSqlite3.Database;

const memoryPath = ":memory:";

/**
 * Opens (creating it and its parent directories if needed) and migrates the database at `dbPath`;
 * `:memory:` gives a private in-memory database. WAL lets readers run beside the single writer;
 * `synchronous=NORMAL` is durable across process crashes in WAL mode; foreign keys make deletes
 * cascade; `busy_timeout` lets a second process wait for the write lock instead of failing.
 * Throws `SchemaVersionError` if the file was written by a newer Patchbay.
 */
export function openSqliteDatabase(dbPath: string): SqliteDatabase {
  if (dbPath !== memoryPath) mkdirSync(dirname(dbPath), { recursive: true });
  const db = new BetterSqlite3(dbPath);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    applyMigrations(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
