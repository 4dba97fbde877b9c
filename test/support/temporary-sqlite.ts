/**
 * SQLite databases for the store tests: paths in fresh temp directories, and opened databases,
 * closed and removed after each test.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import {
  openSqliteDatabase,
  type SqliteDatabase,
} from "../../src/store/sqlite/open-sqlite-database.js";

export interface TemporarySqlite {
  /** A database path in a fresh temp directory, in a subfolder that does not exist yet. */
  freshDatabasePath(): Promise<string>;
  /** Opens (and migrates) a database that is closed after the test, unless the test closed it. */
  open(dbPath?: string): SqliteDatabase;
}

/** Call at a test file's top level: it registers the `afterEach` that closes and removes. */
export function temporarySqlite(): TemporarySqlite {
  const directories: string[] = [];
  const databases: SqliteDatabase[] = [];
  afterEach(async () => {
    for (const db of databases.splice(0)) if (db.open) db.close();
    await Promise.all(
      directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })),
    );
  });
  return {
    async freshDatabasePath() {
      const directory = await mkdtemp(join(tmpdir(), "patchbay-sqlite-"));
      directories.push(directory);
      return join(directory, "nested", "patchbay.db");
    },
    open(dbPath = ":memory:") {
      const db = openSqliteDatabase(dbPath);
      databases.push(db);
      return db;
    },
  };
}
