/**
 * `RegistryMirror` on PostgreSQL (PRODUCT.md §5 "Mirror", §8.8; issue 13 §1): the same rows as the
 * SQLite adapter, written a batch at a time (`applyMirrorEntries`). Writes to one registry's
 * mirror take a transaction-scoped advisory lock on it, so two replicas syncing the same registry
 * queue instead of racing over which version is the latest.
 */
import { toListingBounds } from "../mirror-listing.js";
import { readStoredJson } from "../read-stored-json.js";
import { RegistryRemotesSchema } from "../registry-remote-schema.js";
import {
  type ApplyEntriesOptions,
  type ApplyResult,
  type ListMirroredQuery,
  type MirroredPage,
  type MirroredServer,
  type RegistryMirror,
  type RegistrySyncState,
} from "../registry-mirror.js";
import type { RegistryServerEntry, RegistryServerStatus } from "../registry-server-entry.js";
import { applyMirrorEntries, lockRegistry, recomputeLatest } from "./apply-mirror-entries.js";
import type { PostgresDatabase } from "./postgres-database.js";

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
    return this.#database.transaction((session) =>
      applyMirrorEntries(session, registryId, entries, crawlId),
    );
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
