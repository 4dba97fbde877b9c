/**
 * The storage port for the registry mirror (PRODUCT.md §5 "Mirror", §8.8, §8.16, §8.20): every
 * configured MCP Registry is crawled into the local store, so resolution and listing of
 * `mcp::<registry_id>::<server_name>` keep working while the registry is down. Adapters:
 * `SqliteRegistryMirror` and, later, a PostgreSQL one; both run
 * `test/contract/registry-mirror-contract.ts`. Async throughout so a networked database fits.
 */
import type { RegistryServerEntry } from "./registry-server-entry.js";

/**
 * One mirrored (name, version). `isLatest` is the mirror's own verdict, recomputed per name with the
 * registry's rules (reference mcp-registry-api.md §4 "Versioning semantics"), never the registry's
 * flag, which goes stale on incremental sync.
 */
export type MirroredServer = RegistryServerEntry & {
  registryId: string;
  /** `mcp::<registry_id>::<name>` (PRODUCT.md §4). */
  connectorId: string;
  isLatest: boolean;
};

/** Per-registry sync status, shown by the admin API and used to resume incremental sync. */
export interface RegistrySyncState {
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  /** High-water mark for the next `updated_since` (RFC 3339); null until a sync succeeded. */
  updatedSince: string | null;
  servers: number;
  versions: number;
  /** Entries the last successful sync skipped because they failed tolerant parsing. */
  skipped: number;
  /**
   * What the mirror was crawled with (URL and name filters). A change forces a full crawl, so
   * names a new `exclude` drops, or that a new URL no longer serves, leave the mirror.
   */
  sourceFingerprint: string | null;
}

export interface ListMirroredQuery {
  registryId?: string | undefined;
  /** Case-insensitive substring of name, title or description. */
  search?: string | undefined;
  /** The last connector id seen: results have `connectorId > after` (byte order). */
  after?: string | undefined;
  limit: number;
}

export interface MirroredPage {
  data: MirroredServer[];
  hasMore: boolean;
}

export interface ApplyEntriesOptions {
  /**
   * Marks the rows as seen by this full crawl, so `removeUnseen` can drop what the registry no
   * longer lists once the crawl completes.
   */
  crawlId?: string | undefined;
}

export interface ApplyResult {
  upserted: number;
  deleted: number;
}

export interface RegistryMirror {
  /**
   * Upserts on (registry, name, version) in one transaction; `deleted` entries remove that version;
   * then recomputes `isLatest` for every touched name. `deprecated` entries stay, with their message.
   */
  applyEntries(
    registryId: string,
    entries: readonly RegistryServerEntry[],
    options?: ApplyEntriesOptions,
  ): Promise<ApplyResult>;
  /** Drops the registry's rows not marked with `crawlId` (end of a full crawl); returns how many. */
  removeUnseen(registryId: string, crawlId: string): Promise<number>;
  /** The latest non-deleted version of a name, or null. */
  getLatest(registryId: string, name: string): Promise<MirroredServer | null>;
  getVersion(registryId: string, name: string, version: string): Promise<MirroredServer | null>;
  /**
   * One row per (registry, name) at its latest version, only servers with remotes (§8.8), sorted
   * by connector id. Rejects with `RangeError` for a `limit` outside 1–1000.
   */
  list(query: ListMirroredQuery): Promise<MirroredPage>;
  /** `servers`: names mirrored (with or without remotes); `versions`: version rows. */
  counts(registryId: string): Promise<{ servers: number; versions: number }>;
  /** Ids holding mirrored rows or a sync state, so the composition root can drop orphans. */
  registryIds(): Promise<string[]>;
  /** Drops the registry's whole mirror and its sync state. */
  deleteRegistry(registryId: string): Promise<void>;
  getSyncState(registryId: string): Promise<RegistrySyncState | null>;
  saveSyncState(registryId: string, state: RegistrySyncState): Promise<void>;
}

/** The connector id of a registry server (PRODUCT.md §4): `mcp::<registry_id>::<name>`. */
export function toRegistryConnectorId(registryId: string, name: string): string {
  return `mcp::${registryId}::${name}`;
}
