/**
 * Schema migrations of the PostgreSQL stores (issue 13 §1), numbered like SQLite's (one version
 * per feature). All pending migrations run at startup in one transaction that first takes a
 * transaction-scoped advisory lock for the schema, so replicas starting together queue on the lock
 * and exactly one of them migrates; the others find the work done. Recorded in
 * `schema_migrations`; a schema written by a newer Patchbay is refused.
 */
import { assertOrdered, SchemaVersionError, type Migration } from "../migration.js";
import type { PostgresDatabase, PostgresSession } from "./postgres-database.js";

/**
 * Ids and everything listed in order are `COLLATE "C"`: byte order, as SQLite compares, whatever
 * the database's locale. Bodies are `json`, which keeps the text as written (key order, `\u0000`).
 */
export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: "responses",
    sql: `
      CREATE TABLE responses (
        id text COLLATE "C" PRIMARY KEY,
        created_at bigint NOT NULL,
        status text NOT NULL,
        previous_response_id text,
        body json NOT NULL
      );
      CREATE TABLE response_input_items (
        response_id text COLLATE "C" NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
        position integer NOT NULL,
        item_id text NOT NULL,
        body json NOT NULL,
        PRIMARY KEY (response_id, position)
      );
      CREATE INDEX response_input_items_by_item_id ON response_input_items (response_id, item_id);
    `,
  },
  {
    // search_text is lower(name \n title \n description), computed by the adapter; the listing
    // index holds it, so a search scans one index in connector-id order.
    version: 2,
    name: "registry_mirror",
    sql: `
      CREATE TABLE registry_servers (
        registry_id text COLLATE "C" NOT NULL,
        name text COLLATE "C" NOT NULL,
        version text COLLATE "C" NOT NULL,
        connector_id text COLLATE "C" NOT NULL,
        title text,
        description text,
        status text NOT NULL,
        status_message text,
        published_at text,
        updated_at text,
        has_packages boolean NOT NULL,
        has_remotes boolean NOT NULL,
        remotes json NOT NULL,
        is_latest boolean NOT NULL DEFAULT false,
        search_text text NOT NULL,
        crawl_id text,
        PRIMARY KEY (registry_id, name, version)
      );
      CREATE UNIQUE INDEX registry_servers_latest
        ON registry_servers (registry_id, name) WHERE is_latest;
      CREATE INDEX registry_servers_listing
        ON registry_servers (connector_id) INCLUDE (search_text) WHERE is_latest AND has_remotes;
      CREATE TABLE registry_sync_state (
        registry_id text COLLATE "C" PRIMARY KEY,
        last_success_at text,
        last_attempt_at text,
        last_error text,
        updated_since text,
        servers integer NOT NULL,
        versions integer NOT NULL,
        skipped integer NOT NULL,
        source_fingerprint text
      );
    `,
  },
  {
    version: 3,
    name: "managed_objects",
    sql: `
      CREATE TABLE managed_connectors (
        id text COLLATE "C" PRIMARY KEY,
        body json NOT NULL,
        revision integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE managed_registries (
        id text COLLATE "C" PRIMARY KEY,
        body json NOT NULL,
        revision integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
    `,
  },
  {
    // seq orders responses created in the same second (as SQLite's rowid does there).
    version: 4,
    name: "conversations_and_response_owners",
    sql: `
      ALTER TABLE responses ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
      ALTER TABLE responses ADD COLUMN model text;
      ALTER TABLE responses ADD COLUMN owner_key text COLLATE "C";
      ALTER TABLE responses ADD COLUMN owner_user text COLLATE "C";
      UPDATE responses SET model = body->>'model';
      CREATE INDEX responses_by_created ON responses (created_at, seq);
      CREATE INDEX responses_by_owner ON responses (owner_key, owner_user, created_at, seq);
      CREATE TABLE conversations (
        id text COLLATE "C" PRIMARY KEY,
        created_at bigint NOT NULL,
        metadata json NOT NULL,
        owner_key text COLLATE "C",
        owner_user text COLLATE "C",
        next_position integer NOT NULL
      );
      CREATE TABLE conversation_items (
        conversation_id text COLLATE "C" NOT NULL
          REFERENCES conversations (id) ON DELETE CASCADE,
        position integer NOT NULL,
        item_id text NOT NULL,
        body json NOT NULL,
        PRIMARY KEY (conversation_id, position)
      );
      CREATE INDEX conversation_items_by_item_id ON conversation_items (conversation_id, item_id);
    `,
  },
  {
    // Background runs (issue 14 §2, issue 13 §4): their events as they happen (text: written and
    // read back whole, never queried inside), and the run in progress with its lease (epoch ms by
    // the database's clock) and cancel request. Both go with their response.
    version: 5,
    name: "background_runs",
    sql: `
      CREATE TABLE response_events (
        response_id text COLLATE "C" NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
        sequence_number integer NOT NULL,
        body text NOT NULL,
        PRIMARY KEY (response_id, sequence_number)
      );
      CREATE TABLE background_runs (
        response_id text COLLATE "C" PRIMARY KEY REFERENCES responses (id) ON DELETE CASCADE,
        runner text NOT NULL,
        lease_until bigint NOT NULL,
        cancel_requested boolean NOT NULL DEFAULT false
      );
      CREATE INDEX background_runs_by_lease ON background_runs (lease_until);
    `,
  },
];

/** First key of Patchbay's advisory locks ("PB"); the second names what is locked. */
export const ADVISORY_LOCK_CLASS = 0x5042;

/**
 * Creates `schema` if needed and brings it to the last migration of `list`; returns the resulting
 * version. `schema` must already be a validated identifier (config `schema`). `list` is a
 * parameter so tests can exercise appending; production passes nothing.
 */
export function applyPostgresMigrations(
  database: PostgresDatabase,
  schema: string,
  list: readonly Migration[] = postgresMigrations,
): Promise<number> {
  assertOrdered(list);
  return database.transaction(async (session) => {
    await session.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [
      ADVISORY_LOCK_CLASS,
      `migrations:${schema}`,
    ]);
    await ensureSchema(session, schema);
    await session.query(`SET LOCAL search_path TO "${schema}"`);
    await session.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const current = await session.query<{ version: number }>(
      "SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations",
    );
    const startVersion = current.rows[0]?.version ?? 0;
    const supportedVersion = list.at(-1)?.version ?? 0;
    if (startVersion > supportedVersion) {
      throw new SchemaVersionError(
        `PostgreSQL schema "${schema}" of ${database.description}`,
        startVersion,
        supportedVersion,
        "use another schema",
      );
    }
    for (const migration of list) {
      if (migration.version <= startVersion) continue;
      await session.query(migration.sql);
      await session.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
    }
    return Math.max(startVersion, supportedVersion);
  });
}

/**
 * `CREATE SCHEMA IF NOT EXISTS` needs the CREATE privilege even when the schema exists, so an
 * operator may pre-create it for a role that has no such privilege.
 */
async function ensureSchema(session: PostgresSession, schema: string): Promise<void> {
  const found = await session.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
  if (found.rowCount === 0) await session.query(`CREATE SCHEMA "${schema}"`);
}
