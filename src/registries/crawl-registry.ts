/**
 * One pass over a registry's `GET /v0.1/servers` listing into the mirror (PRODUCT.md §5 "Mirror";
 * reference mcp-registry-api.md §1 "List query parameters", §4 "Polling"): `limit=100` plus the
 * opaque cursor until there is no cursor or a page is empty, each page applied as it arrives so
 * memory stays bounded by one page whatever the registry's size.
 */
import { RegistryError } from "../errors/registry-error.js";
import type { RegistryMirror } from "../store/registry-mirror.js";
import type { RegistryClient } from "./registry-types.js";

/** The largest page the API accepts (it rejects, not clamps, anything above). */
export const registryPageSize = 100;

/** One million servers; the official registry holds about 21,000 rows. */
export const defaultMaxPages = 10_000;

export interface CrawlRegistryOptions {
  registryId: string;
  client: RegistryClient;
  mirror: RegistryMirror;
  /** Name filter from `include`/`exclude`; rejected names are not mirrored. */
  accepts: (name: string) => boolean;
  /** Incremental pass: only entries updated after this (deleted ones included). */
  updatedSince?: string | undefined;
  /** Full pass: marks what it sees, then drops every other row of the registry. */
  crawlId?: string | undefined;
  maxPages?: number | undefined;
  signal: AbortSignal;
}

export interface CrawlOutcome {
  upserted: number;
  deleted: number;
  skipped: number;
  /** The largest `updatedAt` the registry returned, in epoch milliseconds; null if none. */
  maxUpdatedAt: number | null;
}

/**
 * Throws `RegistryError` (from the client, or `protocol` when the listing never ends: a cursor
 * repeats or it runs past `maxPages`). Pages applied before a failure stay applied: they are
 * correct data, and the next pass picks up from the unchanged high-water mark.
 */
export async function crawlRegistry(options: CrawlRegistryOptions): Promise<CrawlOutcome> {
  const { registryId, client, mirror, accepts, updatedSince, crawlId, signal } = options;
  const maxPages = options.maxPages ?? defaultMaxPages;
  const outcome: CrawlOutcome = { upserted: 0, deleted: 0, skipped: 0, maxUpdatedAt: null };
  const sentCursors = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 0; ; pages += 1) {
    signal.throwIfAborted();
    if (pages >= maxPages) {
      throw new RegistryError(`Registry ${registryId} listing exceeded ${maxPages} pages`, {
        kind: "protocol",
      });
    }
    const page = await client.listPage({ cursor, limit: registryPageSize, updatedSince }, signal);
    outcome.skipped += page.skipped;
    for (const entry of page.entries) {
      const updatedAt = entry.updatedAt === null ? Number.NaN : Date.parse(entry.updatedAt);
      if (!Number.isNaN(updatedAt) && updatedAt > (outcome.maxUpdatedAt ?? -Infinity)) {
        outcome.maxUpdatedAt = updatedAt;
      }
    }
    const wanted = page.entries.filter((entry) => accepts(entry.name));
    if (wanted.length > 0) {
      const applied = await mirror.applyEntries(registryId, wanted, { crawlId });
      outcome.upserted += applied.upserted;
      outcome.deleted += applied.deleted;
    }
    if (page.entries.length + page.skipped === 0 || page.nextCursor === null) break;
    if (cursor !== undefined) sentCursors.add(cursor);
    if (sentCursors.has(page.nextCursor)) {
      throw new RegistryError(
        `Registry ${registryId} listing repeated cursor ${JSON.stringify(page.nextCursor)}`,
        { kind: "protocol" },
      );
    }
    cursor = page.nextCursor;
  }
  if (crawlId !== undefined) {
    signal.throwIfAborted();
    outcome.deleted += await mirror.removeUnseen(registryId, crawlId);
  }
  return outcome;
}
