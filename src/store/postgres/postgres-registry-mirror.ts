/**
 * `RegistryMirror` on PostgreSQL (PRODUCT.md §5 "Mirror", §8.8; issue 13 §1): the same rows as the
 * SQLite adapter, written a batch at a time (arrays through `unnest`, so a page of entries costs a
 * handful of round trips, not one per entry). Writes to one registry's mirror take a
 * transaction-scoped advisory lock on it, so two replicas syncing the same registry queue instead
 * of racing over which version is the latest.
 */
import { toListingBounds, toSearchText } from "../mirror-listing.js";
import { pickLatestVersion } from "../pick-latest-version.js";
import { readStoredJson } from "../read-stored-json.js";
import { RegistryRemotesSchema } from "../registry-remote-schema.js";
import {
  toRegistryConnectorId,
  type ApplyEntriesOptions,
  type ApplyResult,
  type ListMirroredQuery,
  type MirroredPage,
  type MirroredServer,
  type RegistryMirror,
  type RegistrySyncState,
} from "../registry-mirror.js";
import type { RegistryServerEntry, RegistryServerStatus } from "../registry-server-entry.js";
import type { PostgresDatabase, PostgresSession } from "./postgres-database.js";
import { ADVISORY_LOCK_CLASS } from "./postgres-migrations.js";

interface ServerRow {
  registryId: string;
  connectorId: string;
  name: string;
  version: string;
  title: string | null;
  description: string | null;
  remotes: string;
  hasPackages: boolean;
  status: RegistryServerStatus;
  statusMessage: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  isLatest: boolean;
}

interface CandidateRow {
  name: string;
  version: string;
  publishedAt: string | null;
  isLatest: boolean;
}

const serverColumns = `registry_id AS "registryId", connector_id AS "connectorId", name, version,
  title, description, remotes::text AS remotes, has_packages AS "hasPackages", status,
  status_message AS "statusMessage", published_at AS "publishedAt", updated_at AS "updatedAt",
  is_latest AS "isLatest"`;

const syncStateColumns = `last_success_at AS "lastSuccessAt", last_attempt_at AS "lastAttemptAt",
  last_error AS "lastError", updated_since AS "updatedSince", servers, versions, skipped,
  source_fingerprint AS "sourceFingerprint"`;

/** Shares the database opened by `openPostgresDatabase`, so it has no `close()` of its own. */
export class PostgresRegistryMirror implements RegistryMirror {
  readonly #database: PostgresDatabase;

  constructor(database: PostgresDatabase) {
    this.#database = database;
  }

  applyEntries(
    registryId: string,
    entries: readonly RegistryServerEntry[],
    options: ApplyEntriesOptions = {},
  ): Promise<ApplyResult> {
    const crawlId = options.crawlId ?? null;
    return this.#database.transaction(async (session) => {
      await lockRegistry(session, registryId);
      let upserted = 0;
      let deleted = 0;
      // Entries are applied in order; a batch statement cannot touch one row twice, so a
      // (name, version) seen again starts the next batch.
      for (const batch of batchesWithoutRepeats(entries)) {
        const removals = batch.filter((entry) => entry.status === "deleted");
        const upserts = batch.filter((entry) => entry.status !== "deleted");
        deleted += await deleteVersions(session, registryId, removals);
        await upsertVersions(session, registryId, upserts, crawlId);
        upserted += upserts.length;
      }
      await recomputeLatest(session, registryId, [...new Set(entries.map((entry) => entry.name))]);
      return { upserted, deleted };
    });
  }

  removeUnseen(registryId: string, crawlId: string): Promise<number> {
    return this.#database.transaction(async (session) => {
      await lockRegistry(session, registryId);
      const { rows } = await session.query<{ name: string }>(
        `DELETE FROM registry_servers
         WHERE registry_id = $1 AND (crawl_id IS NULL OR crawl_id <> $2) RETURNING name`,
        [registryId, crawlId],
      );
      await recomputeLatest(session, registryId, [...new Set(rows.map((row) => row.name))]);
      return rows.length;
    });
  }

  getLatest(registryId: string, name: string): Promise<MirroredServer | null> {
    return this.#selectOne(
      `SELECT ${serverColumns} FROM registry_servers
       WHERE registry_id = $1 AND name = $2 AND is_latest`,
      [registryId, name],
    );
  }

  getVersion(registryId: string, name: string, version: string): Promise<MirroredServer | null> {
    return this.#selectOne(
      `SELECT ${serverColumns} FROM registry_servers
       WHERE registry_id = $1 AND name = $2 AND version = $3`,
      [registryId, name, version],
    );
  }

  async list(query: ListMirroredQuery): Promise<MirroredPage> {
    const { lower, upper, term, fetch } = toListingBounds(query);
    // `is_latest AND has_remotes` as written in the partial listing index, so the planner uses it.
    const search = term === "" ? "" : "AND strpos(search_text, $4) > 0";
    const parameters: unknown[] = [lower, upper, fetch];
    if (term !== "") parameters.push(term);
    const rows = await this.#database.read(async (session) => {
      const result = await session.query<ServerRow>(
        `SELECT ${serverColumns} FROM registry_servers
         WHERE is_latest AND has_remotes AND connector_id > $1 AND connector_id < $2 ${search}
         ORDER BY connector_id LIMIT $3`,
        parameters,
      );
      return result.rows;
    });
    return {
      data: rows.slice(0, query.limit).map(toMirroredServer),
      hasMore: rows.length > query.limit,
    };
  }

  counts(registryId: string): Promise<{ servers: number; versions: number }> {
    return this.#database.read(async (session) => {
      const { rows } = await session.query<{ servers: number; versions: number }>(
        `SELECT count(*)::int AS versions, count(*) FILTER (WHERE is_latest)::int AS servers
         FROM registry_servers WHERE registry_id = $1`,
        [registryId],
      );
      return rows[0] ?? { servers: 0, versions: 0 };
    });
  }

  registryIds(): Promise<string[]> {
    return this.#database.read(async (session) => {
      const { rows } = await session.query<{ registryId: string }>(
        `SELECT registry_id AS "registryId" FROM registry_sync_state
         UNION SELECT DISTINCT registry_id FROM registry_servers ORDER BY 1`,
      );
      return rows.map((row) => row.registryId);
    });
  }

  deleteRegistry(registryId: string): Promise<void> {
    return this.#database.transaction(async (session) => {
      await lockRegistry(session, registryId);
      await session.query("DELETE FROM registry_servers WHERE registry_id = $1", [registryId]);
      await session.query("DELETE FROM registry_sync_state WHERE registry_id = $1", [registryId]);
    });
  }

  getSyncState(registryId: string): Promise<RegistrySyncState | null> {
    return this.#database.read(async (session) => {
      const { rows } = await session.query<RegistrySyncState>(
        `SELECT ${syncStateColumns} FROM registry_sync_state WHERE registry_id = $1`,
        [registryId],
      );
      return rows[0] ?? null;
    });
  }

  saveSyncState(registryId: string, state: RegistrySyncState): Promise<void> {
    return this.#database.transaction(async (session) => {
      await session.query(
        `INSERT INTO registry_sync_state (registry_id, last_success_at, last_attempt_at,
           last_error, updated_since, servers, versions, skipped, source_fingerprint)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (registry_id) DO UPDATE SET last_success_at = excluded.last_success_at,
           last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error,
           updated_since = excluded.updated_since, servers = excluded.servers,
           versions = excluded.versions, skipped = excluded.skipped,
           source_fingerprint = excluded.source_fingerprint`,
        [
          registryId,
          state.lastSuccessAt,
          state.lastAttemptAt,
          state.lastError,
          state.updatedSince,
          state.servers,
          state.versions,
          state.skipped,
          state.sourceFingerprint,
        ],
      );
    });
  }

  async #selectOne(sql: string, parameters: unknown[]): Promise<MirroredServer | null> {
    const rows = await this.#database.read(async (session) => {
      const result = await session.query<ServerRow>(sql, parameters);
      return result.rows;
    });
    const row = rows[0];
    return row === undefined ? null : toMirroredServer(row);
  }
}

/** Serialises writers of one registry's mirror until the transaction ends, on every replica. */
async function lockRegistry(session: PostgresSession, registryId: string): Promise<void> {
  await session.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [
    ADVISORY_LOCK_CLASS,
    `mirror:${registryId}`,
  ]);
}

function* batchesWithoutRepeats(
  entries: readonly RegistryServerEntry[],
): Generator<RegistryServerEntry[]> {
  let batch: RegistryServerEntry[] = [];
  let keys = new Set<string>();
  for (const entry of entries) {
    const key = JSON.stringify([entry.name, entry.version]);
    if (keys.has(key)) {
      yield batch;
      batch = [];
      keys = new Set();
    }
    keys.add(key);
    batch.push(entry);
  }
  if (batch.length > 0) yield batch;
}

async function deleteVersions(
  session: PostgresSession,
  registryId: string,
  entries: readonly RegistryServerEntry[],
): Promise<number> {
  if (entries.length === 0) return 0;
  const { rowCount } = await session.query(
    `DELETE FROM registry_servers AS server USING unnest($2::text[], $3::text[]) AS gone (name, version)
     WHERE server.registry_id = $1 AND server.name = gone.name AND server.version = gone.version`,
    [registryId, entries.map((entry) => entry.name), entries.map((entry) => entry.version)],
  );
  return rowCount;
}

async function upsertVersions(
  session: PostgresSession,
  registryId: string,
  entries: readonly RegistryServerEntry[],
  crawlId: string | null,
): Promise<void> {
  if (entries.length === 0) return;
  const column = <T>(pick: (entry: RegistryServerEntry) => T): T[] => entries.map(pick);
  await session.query(
    `INSERT INTO registry_servers (registry_id, name, version, connector_id, title, description,
       status, status_message, published_at, updated_at, has_packages, has_remotes, remotes,
       search_text, crawl_id)
     SELECT $1, entry.name, entry.version, entry.connector_id, entry.title, entry.description,
       entry.status, entry.status_message, entry.published_at, entry.updated_at,
       entry.has_packages, entry.has_remotes, entry.remotes::json, entry.search_text, $2
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::text[], $10::text[], $11::text[], $12::boolean[], $13::boolean[], $14::text[],
       $15::text[])
       AS entry (name, version, connector_id, title, description, status, status_message,
         published_at, updated_at, has_packages, has_remotes, remotes, search_text)
     ON CONFLICT (registry_id, name, version) DO UPDATE SET title = excluded.title,
       description = excluded.description, status = excluded.status,
       status_message = excluded.status_message, published_at = excluded.published_at,
       updated_at = excluded.updated_at, has_packages = excluded.has_packages,
       has_remotes = excluded.has_remotes, remotes = excluded.remotes,
       search_text = excluded.search_text,
       crawl_id = coalesce(excluded.crawl_id, registry_servers.crawl_id)`,
    [
      registryId,
      crawlId,
      column((entry) => entry.name),
      column((entry) => entry.version),
      column((entry) => toRegistryConnectorId(registryId, entry.name)),
      column((entry) => entry.title),
      column((entry) => entry.description),
      column((entry) => entry.status),
      column((entry) => entry.statusMessage),
      column((entry) => entry.publishedAt),
      column((entry) => entry.updatedAt),
      column((entry) => entry.hasPackages),
      column((entry) => entry.remotes.length > 0),
      column((entry) => JSON.stringify(entry.remotes)),
      column(toSearchText),
    ],
  );
}

/**
 * Recomputes `is_latest` for `names` with the registry's rule (`pickLatestVersion`): clears the
 * flags that move first, then sets the new ones, so the unique partial index holds throughout.
 */
async function recomputeLatest(
  session: PostgresSession,
  registryId: string,
  names: readonly string[],
): Promise<void> {
  if (names.length === 0) return;
  const { rows } = await session.query<CandidateRow>(
    `SELECT name, version, published_at AS "publishedAt", is_latest AS "isLatest"
     FROM registry_servers WHERE registry_id = $1 AND name = ANY ($2::text[])`,
    [registryId, names],
  );
  const byName = new Map<string, CandidateRow[]>();
  for (const row of rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row]);
  const cleared: CandidateRow[] = [];
  const set: CandidateRow[] = [];
  for (const candidates of byName.values()) {
    const latest = pickLatestVersion(candidates);
    const previous = candidates.find((candidate) => candidate.isLatest);
    if (previous === latest) continue;
    if (previous !== undefined) cleared.push(previous);
    if (latest !== null) set.push(latest);
  }
  for (const [flag, changed] of [
    [false, cleared],
    [true, set],
  ] as const) {
    if (changed.length === 0) continue;
    await session.query(
      `UPDATE registry_servers AS server SET is_latest = $2
       FROM unnest($3::text[], $4::text[]) AS change (name, version)
       WHERE server.registry_id = $1 AND server.name = change.name
         AND server.version = change.version`,
      [registryId, flag, changed.map((row) => row.name), changed.map((row) => row.version)],
    );
  }
}

function toMirroredServer(row: ServerRow): MirroredServer {
  return {
    registryId: row.registryId,
    connectorId: row.connectorId,
    name: row.name,
    version: row.version,
    title: row.title,
    description: row.description,
    remotes: readStoredJson(
      "registry_servers",
      `${row.connectorId}@${row.version}`,
      row.remotes,
      (json) => RegistryRemotesSchema.parse(json),
    ),
    hasPackages: row.hasPackages,
    status: row.status,
    statusMessage: row.statusMessage,
    publishedAt: row.publishedAt,
    updatedAt: row.updatedAt,
    isLatest: row.isLatest,
  };
}
