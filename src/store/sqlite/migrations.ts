/**
 * Schema migrations of the SQLite store (PRODUCT.md §2 "Storage"). One ordered list, applied on
 * open, each in its own `BEGIN IMMEDIATE` transaction and recorded in `schema_migrations`, so a
 * reopen is a no-op and a second process opening the same file cannot apply one twice.
 */
import type BetterSqlite3 from "better-sqlite3";
import { assertOrdered, SchemaVersionError, type Migration } from "../migration.js";

/** Every migration Patchbay ships, oldest first. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "responses",
    sql: `
      CREATE TABLE responses (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        status TEXT NOT NULL,
        previous_response_id TEXT,
        body TEXT NOT NULL
      ) STRICT;
      CREATE TABLE response_input_items (
        response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (response_id, position)
      ) STRICT;
      CREATE INDEX response_input_items_by_item_id ON response_input_items (response_id, item_id);
    `,
  },
  {
    // search_text is lower(name \n title \n description), computed by the adapter, so a search is
    // one instr() per row of the covering listing index, with no table lookups (PRODUCT.md §8.8).
    version: 2,
    name: "registry_mirror",
    sql: `
      CREATE TABLE registry_servers (
        registry_id TEXT NOT NULL,
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        connector_id TEXT NOT NULL,
        title TEXT,
        description TEXT,
        status TEXT NOT NULL,
        status_message TEXT,
        published_at TEXT,
        updated_at TEXT,
        has_packages INTEGER NOT NULL,
        has_remotes INTEGER NOT NULL,
        remotes_json TEXT NOT NULL,
        is_latest INTEGER NOT NULL DEFAULT 0,
        search_text TEXT NOT NULL,
        crawl_id TEXT,
        PRIMARY KEY (registry_id, name, version)
      ) STRICT;
      CREATE UNIQUE INDEX registry_servers_latest
        ON registry_servers (registry_id, name) WHERE is_latest = 1;
      CREATE INDEX registry_servers_listing
        ON registry_servers (connector_id, search_text) WHERE is_latest = 1 AND has_remotes = 1;
      CREATE TABLE registry_sync_state (
        registry_id TEXT PRIMARY KEY,
        last_success_at TEXT,
        last_attempt_at TEXT,
        last_error TEXT,
        updated_since TEXT,
        servers INTEGER NOT NULL,
        versions INTEGER NOT NULL,
        skipped INTEGER NOT NULL,
        source_fingerprint TEXT
      ) STRICT;
    `,
  },
  {
    // One table per kind of object the management API owns (PRODUCT.md §6, §8.10); body is the
    // value as JSON, revision backs ETag/If-Match, timestamps are ISO 8601 strings.
    version: 3,
    name: "managed_objects",
    sql: `
      CREATE TABLE managed_connectors (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        revision INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE managed_registries (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        revision INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    // Responses remember who created them and their model, for GET /v1/responses (newest first,
    // per owner; ties in created_at go by rowid, the order of creation, which every index
    // entry ends with); conversations hold their items by position (issue 14 §1, §4; §9.3).
    // next_position reserves each append's block, so positions never collide.
    version: 4,
    name: "conversations_and_response_owners",
    sql: `
      ALTER TABLE responses ADD COLUMN model TEXT;
      ALTER TABLE responses ADD COLUMN owner_key TEXT;
      ALTER TABLE responses ADD COLUMN owner_user TEXT;
      UPDATE responses SET model = json_extract(body, '$.model');
      CREATE INDEX responses_by_created ON responses (created_at);
      CREATE INDEX responses_by_owner ON responses (owner_key, owner_user, created_at);
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        metadata TEXT NOT NULL,
        owner_key TEXT,
        owner_user TEXT,
        next_position INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE conversation_items (
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (conversation_id, position)
      ) STRICT;
      CREATE INDEX conversation_items_by_item_id ON conversation_items (conversation_id, item_id);
    `,
  },
  {
    // Background runs (issue 14 §2, issue 13 §4): their events as they happen, and the run in
    // progress with its lease (epoch ms) and cancel request. Both go with their response.
    version: 5,
    name: "background_runs",
    sql: `
      CREATE TABLE response_events (
        response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
        sequence_number INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (response_id, sequence_number)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE background_runs (
        response_id TEXT PRIMARY KEY REFERENCES responses(id) ON DELETE CASCADE,
        runner TEXT NOT NULL,
        lease_until INTEGER NOT NULL,
        cancel_requested INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX background_runs_by_lease ON background_runs (lease_until);
    `,
  },
];

const createTrackingTable = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`;

/**
 * Brings the database up to the last migration of `list` and returns the resulting version.
 * Throws `SchemaVersionError` when the database is already past it. `list` is a parameter so tests
 * can exercise appending; production passes nothing.
 */
export function applyMigrations(
  db: BetterSqlite3.Database,
  list: readonly Migration[] = migrations,
): number {
  assertOrdered(list);
  db.exec(createTrackingTable);
  const readVersion = db.prepare<[], { version: number | null }>(
    "SELECT MAX(version) AS version FROM schema_migrations",
  );
  const currentVersion = (): number => readVersion.get()?.version ?? 0;
  const supportedVersion = list.at(-1)?.version ?? 0;
  const startVersion = currentVersion();
  if (startVersion > supportedVersion) {
    throw new SchemaVersionError(
      `SQLite database ${db.name}`,
      startVersion,
      supportedVersion,
      "use another db_path",
    );
  }
  const record = db.prepare<[number, string, number]>(
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
  );
  const applyOne = db.transaction((migration: Migration) => {
    // Re-read under the write lock: another process may have applied it since we looked.
    if (currentVersion() >= migration.version) return;
    db.exec(migration.sql);
    record.run(migration.version, migration.name, Date.now());
  });
  for (const migration of list) {
    if (migration.version > startVersion) applyOne.immediate(migration);
  }
  return currentVersion();
}
