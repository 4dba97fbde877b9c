/**
 * The default `RegistryMirror` (PRODUCT.md §5 "Mirror", §8.8): one row per (registry, name,
 * version) in the embedded SQLite database, with the mirror's own `is_latest` flag and a partial
 * covering index that serves the sorted, searchable connector listing. better-sqlite3 is
 * synchronous, so every method is one SQLite transaction returned as a settled promise.
 */
import { pickLatestVersion } from "../pick-latest-version.js";
import type { RegistryServerEntry } from "../registry-server-entry.js";
import type {
  ApplyEntriesOptions,
  ApplyResult,
  ListMirroredQuery,
  MirroredPage,
  MirroredServer,
  RegistryMirror,
  RegistrySyncState,
} from "../registry-mirror.js";
import { toListingBounds } from "../mirror-listing.js";
import type { SqliteDatabase } from "./open-sqlite-database.js";
import { settle } from "./settle.js";
import {
  registryServerColumns,
  toMirroredServer,
  toRegistryServerWrite,
  type RegistryServerRow,
  type RegistryServerWrite,
} from "./registry-server-row.js";

interface CandidateRow {
  version: string;
  publishedAt: string | null;
  isLatest: number;
}

type SyncStateWrite = { registryId: string } & RegistrySyncState;

type ListParameters = [lower: string, upper: string, limit: number];
type SearchParameters = [lower: string, upper: string, term: string, limit: number];

/**
 * Takes a database already opened and migrated by `openSqliteDatabase`; shares it with the other
 * SQLite stores, so it has no `close()` of its own.
 */
export class SqliteRegistryMirror implements RegistryMirror {
  readonly #apply: (
    registryId: string,
    entries: readonly RegistryServerEntry[],
    crawlId: string | null,
  ) => ApplyResult;
  readonly #removeUnseen: (registryId: string, crawlId: string) => number;
  readonly #selectLatest: (registryId: string, name: string) => RegistryServerRow | undefined;
  readonly #selectVersion: (...key: [string, string, string]) => RegistryServerRow | undefined;
  readonly #listAll: (...parameters: ListParameters) => RegistryServerRow[];
  readonly #listMatching: (...parameters: SearchParameters) => RegistryServerRow[];
  readonly #counts: (registryId: string) => { servers: number; versions: number } | undefined;
  readonly #registryIds: () => { registryId: string }[];
  readonly #deleteRegistry: (registryId: string) => void;
  readonly #selectSyncState: (registryId: string) => RegistrySyncState | undefined;
  readonly #upsertSyncState: (row: SyncStateWrite) => void;

  constructor(db: SqliteDatabase) {
    const upsert = db.prepare<[RegistryServerWrite]>(
      `INSERT INTO registry_servers (registry_id, name, version, connector_id, title, description,
         status, status_message, published_at, updated_at, has_packages, has_remotes, remotes_json,
         search_text, crawl_id)
       VALUES (@registry_id, @name, @version, @connector_id, @title, @description, @status,
         @status_message, @published_at, @updated_at, @has_packages, @has_remotes, @remotes_json,
         @search_text, @crawl_id)
       ON CONFLICT (registry_id, name, version) DO UPDATE SET title = excluded.title,
         description = excluded.description, status = excluded.status,
         status_message = excluded.status_message, published_at = excluded.published_at,
         updated_at = excluded.updated_at, has_packages = excluded.has_packages,
         has_remotes = excluded.has_remotes, remotes_json = excluded.remotes_json,
         search_text = excluded.search_text,
         crawl_id = coalesce(excluded.crawl_id, registry_servers.crawl_id)`,
    );
    const deleteVersion = db.prepare<[string, string, string]>(
      "DELETE FROM registry_servers WHERE registry_id = ? AND name = ? AND version = ?",
    );
    const selectCandidates = db.prepare<[string, string], CandidateRow>(
      `SELECT version, published_at AS publishedAt, is_latest AS isLatest FROM registry_servers
       WHERE registry_id = ? AND name = ?`,
    );
    // Clear before set: the unique partial index allows one latest row per name at every moment.
    const clearLatest = db.prepare<[string, string, string]>(
      `UPDATE registry_servers SET is_latest = 0
       WHERE registry_id = ? AND name = ? AND version = ? AND is_latest = 1`,
    );
    const setLatest = db.prepare<[string, string, string]>(
      `UPDATE registry_servers SET is_latest = 1
       WHERE registry_id = ? AND name = ? AND version = ?`,
    );
    const recomputeLatest = (registryId: string, name: string): void => {
      const candidates = selectCandidates.all(registryId, name);
      const latest = pickLatestVersion(candidates);
      const previous = candidates.find((candidate) => candidate.isLatest === 1);
      if (previous === latest) return;
      if (previous !== undefined) clearLatest.run(registryId, name, previous.version);
      if (latest !== null) setLatest.run(registryId, name, latest.version);
    };

    this.#apply = db.transaction(
      (registryId: string, entries: readonly RegistryServerEntry[], crawlId: string | null) => {
        const touched = new Set<string>();
        let upserted = 0;
        let deleted = 0;
        for (const entry of entries) {
          touched.add(entry.name);
          if (entry.status === "deleted") {
            deleted += deleteVersion.run(registryId, entry.name, entry.version).changes;
          } else {
            upsert.run(toRegistryServerWrite(registryId, entry, crawlId));
            upserted += 1;
          }
        }
        for (const name of touched) recomputeLatest(registryId, name);
        return { upserted, deleted };
      },
    );

    const unseenFilter = "registry_id = ? AND (crawl_id IS NULL OR crawl_id <> ?)";
    const selectUnseenNames = db.prepare<[string, string], { name: string }>(
      `SELECT DISTINCT name FROM registry_servers WHERE ${unseenFilter}`,
    );
    const deleteUnseen = db.prepare<[string, string]>(
      `DELETE FROM registry_servers WHERE ${unseenFilter}`,
    );
    this.#removeUnseen = db.transaction((registryId: string, crawlId: string) => {
      const names = selectUnseenNames.all(registryId, crawlId);
      const removed = deleteUnseen.run(registryId, crawlId).changes;
      for (const { name } of names) recomputeLatest(registryId, name);
      return removed;
    });

    const selectLatest = db.prepare<[string, string], RegistryServerRow>(
      `SELECT ${registryServerColumns} FROM registry_servers
       WHERE registry_id = ? AND name = ? AND is_latest = 1`,
    );
    const selectVersion = db.prepare<[string, string, string], RegistryServerRow>(
      `SELECT ${registryServerColumns} FROM registry_servers
       WHERE registry_id = ? AND name = ? AND version = ?`,
    );
    // The literal `is_latest = 1 AND has_remotes = 1` lets the planner use the partial index.
    const listing = `SELECT ${registryServerColumns} FROM registry_servers
       WHERE is_latest = 1 AND has_remotes = 1 AND connector_id > ? AND connector_id < ?`;
    const listAll = db.prepare<ListParameters, RegistryServerRow>(
      `${listing} ORDER BY connector_id LIMIT ?`,
    );
    const listMatching = db.prepare<SearchParameters, RegistryServerRow>(
      `${listing} AND instr(search_text, ?) > 0 ORDER BY connector_id LIMIT ?`,
    );
    const counts = db.prepare<[string, string], { servers: number; versions: number }>(
      `SELECT (SELECT COUNT(*) FROM registry_servers WHERE registry_id = ?) AS versions,
         (SELECT COUNT(*) FROM registry_servers WHERE registry_id = ? AND is_latest = 1)
         AS servers`,
    );
    const registryIds = db.prepare<[], { registryId: string }>(
      `SELECT registry_id AS registryId FROM registry_sync_state
       UNION SELECT DISTINCT registry_id FROM registry_servers ORDER BY 1`,
    );
    const deleteServers = db.prepare<[string]>(
      "DELETE FROM registry_servers WHERE registry_id = ?",
    );
    const deleteState = db.prepare<[string]>(
      "DELETE FROM registry_sync_state WHERE registry_id = ?",
    );
    this.#deleteRegistry = db.transaction((registryId: string) => {
      deleteServers.run(registryId);
      deleteState.run(registryId);
    });
    const selectSyncState = db.prepare<[string], RegistrySyncState>(
      `SELECT last_success_at AS lastSuccessAt, last_attempt_at AS lastAttemptAt,
         last_error AS lastError, updated_since AS updatedSince, servers, versions, skipped,
         source_fingerprint AS sourceFingerprint
       FROM registry_sync_state WHERE registry_id = ?`,
    );
    const upsertSyncState = db.prepare<[SyncStateWrite]>(
      `INSERT INTO registry_sync_state (registry_id, last_success_at, last_attempt_at, last_error,
         updated_since, servers, versions, skipped, source_fingerprint)
       VALUES (@registryId, @lastSuccessAt, @lastAttemptAt, @lastError, @updatedSince, @servers,
         @versions, @skipped, @sourceFingerprint)
       ON CONFLICT (registry_id) DO UPDATE SET last_success_at = excluded.last_success_at,
         last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error,
         updated_since = excluded.updated_since, servers = excluded.servers,
         versions = excluded.versions, skipped = excluded.skipped,
         source_fingerprint = excluded.source_fingerprint`,
    );
    this.#selectLatest = (registryId, name) => selectLatest.get(registryId, name);
    this.#selectVersion = (...key) => selectVersion.get(...key);
    this.#listAll = (...parameters) => listAll.all(...parameters);
    this.#listMatching = (...parameters) => listMatching.all(...parameters);
    this.#counts = (registryId) => counts.get(registryId, registryId);
    this.#registryIds = () => registryIds.all();
    this.#selectSyncState = (registryId) => selectSyncState.get(registryId);
    this.#upsertSyncState = (row) => {
      upsertSyncState.run(row);
    };
  }

  applyEntries(
    registryId: string,
    entries: readonly RegistryServerEntry[],
    options: ApplyEntriesOptions = {},
  ): Promise<ApplyResult> {
    return settle(() => this.#apply(registryId, entries, options.crawlId ?? null));
  }

  removeUnseen(registryId: string, crawlId: string): Promise<number> {
    return settle(() => this.#removeUnseen(registryId, crawlId));
  }

  getLatest(registryId: string, name: string): Promise<MirroredServer | null> {
    return settle(() => toMirroredOrNull(this.#selectLatest(registryId, name)));
  }

  getVersion(registryId: string, name: string, version: string): Promise<MirroredServer | null> {
    return settle(() => toMirroredOrNull(this.#selectVersion(registryId, name, version)));
  }

  list(query: ListMirroredQuery): Promise<MirroredPage> {
    return settle(() => {
      const { lower, upper, term, fetch } = toListingBounds(query);
      const rows =
        term === ""
          ? this.#listAll(lower, upper, fetch)
          : this.#listMatching(lower, upper, term, fetch);
      return {
        data: rows.slice(0, query.limit).map(toMirroredServer),
        hasMore: rows.length > query.limit,
      };
    });
  }

  counts(registryId: string): Promise<{ servers: number; versions: number }> {
    return settle(() => this.#counts(registryId) ?? { servers: 0, versions: 0 });
  }

  registryIds(): Promise<string[]> {
    return settle(() => this.#registryIds().map((row) => row.registryId));
  }

  deleteRegistry(registryId: string): Promise<void> {
    return settle(() => this.#deleteRegistry(registryId));
  }

  getSyncState(registryId: string): Promise<RegistrySyncState | null> {
    return settle(() => this.#selectSyncState(registryId) ?? null);
  }

  saveSyncState(registryId: string, state: RegistrySyncState): Promise<void> {
    return settle(() => {
      this.#upsertSyncState({ registryId, ...state });
    });
  }
}

function toMirroredOrNull(row: RegistryServerRow | undefined): MirroredServer | null {
  return row === undefined ? null : toMirroredServer(row);
}
