/**
 * How the PostgreSQL registry mirror writes a page of entries (PRODUCT.md §5 "Mirror"): in order,
 * as arrays through `unnest`, so a page costs a handful of round trips rather than one per entry,
 * then `is_latest` recomputed with the registry's rule for every name touched. Runs inside the
 * caller's transaction, after `lockRegistry`.
 */
import { toSearchText } from "../mirror-listing.js";
import { pickLatestVersion } from "../pick-latest-version.js";
import { toRegistryConnectorId, type ApplyResult } from "../registry-mirror.js";
import type { RegistryServerEntry } from "../registry-server-entry.js";
import type { PostgresSession } from "./postgres-database.js";
import { ADVISORY_LOCK_CLASS } from "./postgres-migrations.js";

interface CandidateRow {
  name: string;
  version: string;
  publishedAt: string | null;
  isLatest: boolean;
}

/** Applies `entries` in order: deleted ones remove their version, the others are upserted. */
export async function applyMirrorEntries(
  session: PostgresSession,
  registryId: string,
  entries: readonly RegistryServerEntry[],
  crawlId: string | null,
): Promise<ApplyResult> {
  await lockRegistry(session, registryId);
  let upserted = 0;
  let deleted = 0;
  // A batch statement cannot touch one row twice, so a (name, version) seen again starts the next.
  for (const batch of batchesWithoutRepeats(entries)) {
    const removals = batch.filter((entry) => entry.status === "deleted");
    const upserts = batch.filter((entry) => entry.status !== "deleted");
    deleted += await deleteVersions(session, registryId, removals);
    await upsertVersions(session, registryId, upserts, crawlId);
    upserted += upserts.length;
  }
  await recomputeLatest(session, registryId, [...new Set(entries.map((entry) => entry.name))]);
  return { upserted, deleted };
}

/** Serialises writers of one registry's mirror until the transaction ends, on every replica. */
export async function lockRegistry(session: PostgresSession, registryId: string): Promise<void> {
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
export async function recomputeLatest(
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
