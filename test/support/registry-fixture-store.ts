import { pickLatestVersion } from "../../src/store/pick-latest-version.js";
import type { FixtureServer, FixtureStatus, ServerJson } from "./registry-fixture-entries.js";

const OFFICIAL = "io.modelcontextprotocol.registry/official";

interface Row {
  server: ServerJson;
  name: string;
  version: string;
  status: FixtureStatus;
  statusMessage: string | null;
  publishedAt: string;
  updatedAt: string;
  meta: Record<string, unknown>;
  isLatest: boolean;
}

export interface FixtureListQuery {
  limit: number;
  cursor: { name: string; version: string } | null;
  /** The cursor as received. */
  cursorText: string | null;
  search: string | null;
  /** Epoch ms; strict `updatedAt > updatedSince`. */
  updatedSince: number | null;
  version: string | null;
  includeDeleted: boolean;
}

/**
 * The fixture registry's table, with the official registry's query semantics (reference
 * mcp-registry-api.md §1 "List query parameters", §4 "Versioning semantics"): rows keyed on
 * (name, version), ordered by name then version in byte order, `isLatest` recomputed per name.
 */
export class RegistryFixtureStore {
  readonly #rows = new Map<string, Row>();
  #sortedRows: Row[] | null = null;
  #lastStamp = 0;

  replaceAll(servers: FixtureServer[]): void {
    this.#rows.clear();
    for (const entry of servers) this.#put(entry);
    this.#recomputeLatest();
  }

  upsert(entry: FixtureServer): void {
    this.#put(entry);
    this.#recomputeLatest();
  }

  remove(name: string, version: string): boolean {
    const removed = this.#rows.delete(key(name, version));
    this.#recomputeLatest();
    return removed;
  }

  setStatus(name: string, version: string, status: FixtureStatus, message?: string): void {
    const row = this.#rows.get(key(name, version));
    if (row === undefined) throw new Error(`registry fixture: no ${name}@${version}`);
    row.status = status;
    row.statusMessage = message ?? null;
    row.updatedAt = this.#now();
    this.#recomputeLatest();
  }

  get size(): number {
    return this.#rows.size;
  }

  /** One page of `GET /servers`, as `ServerResponse` objects, and the full-page cursor. */
  list(query: FixtureListQuery): {
    items: object[];
    nextCursor: string | null;
    /** The last item's cursor, full page or not (for the endless-pagination fault). */
    lastCursor: string | null;
  } {
    const search = query.search?.toLowerCase() ?? null;
    const rows = this.#sorted().filter(
      (row) =>
        (query.includeDeleted || row.status !== "deleted") &&
        (search === null || row.name.toLowerCase().includes(search)) &&
        (query.updatedSince === null || Date.parse(row.updatedAt) > query.updatedSince) &&
        (query.version === null ||
          (query.version === "latest" ? row.isLatest : row.version === query.version)) &&
        (query.cursor === null || after(row, query.cursor)),
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const lastCursor = last === undefined ? null : `${last.name}:${last.version}`;
    const nextCursor = page.length >= query.limit ? lastCursor : null;
    return { items: page.map(toServerResponse), nextCursor, lastCursor };
  }

  /** `GET /servers/{name}/versions/{version|latest}`; null = 404. */
  detail(name: string, version: string, includeDeleted: boolean): object | null {
    const row =
      version === "latest"
        ? this.#sorted().find((candidate) => candidate.name === name && candidate.isLatest)
        : this.#rows.get(key(name, version));
    if (row === undefined || (row.status === "deleted" && !includeDeleted)) return null;
    return toServerResponse(row);
  }

  /** `GET /servers/{name}/versions`: newest published first; null = 404. */
  versions(name: string, includeDeleted: boolean): object[] | null {
    const rows = this.#sorted()
      .filter((row) => row.name === name && (includeDeleted || row.status !== "deleted"))
      .sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt));
    return rows.length === 0 ? null : rows.map(toServerResponse);
  }

  #put(entry: FixtureServer): void {
    const name = text(entry.server["name"]);
    const version = text(entry.server["version"]);
    const existing = this.#rows.get(key(name, version));
    const now = this.#now();
    this.#rows.set(key(name, version), {
      server: entry.server,
      name,
      version,
      status: entry.status ?? "active",
      statusMessage: entry.statusMessage ?? null,
      publishedAt: entry.publishedAt ?? existing?.publishedAt ?? now,
      updatedAt: entry.updatedAt ?? (existing === undefined ? entry.publishedAt : undefined) ?? now,
      meta: entry.meta ?? {},
      isLatest: false,
    });
  }

  /** Strictly increasing ISO timestamps, so `updated_since` always sees the latest change. */
  #now(): string {
    this.#lastStamp = Math.max(Date.now(), this.#lastStamp + 1);
    return new Date(this.#lastStamp).toISOString();
  }

  #sorted(): Row[] {
    this.#sortedRows ??= [...this.#rows.values()].sort((a, b) =>
      a.name === b.name ? byteOrder(a.version, b.version) : byteOrder(a.name, b.name),
    );
    return this.#sortedRows;
  }

  /** Per name, over its non-deleted versions (all of them when every one is deleted). */
  #recomputeLatest(): void {
    this.#sortedRows = null;
    const byName = new Map<string, Row[]>();
    for (const row of this.#rows.values()) {
      row.isLatest = false;
      const rows = byName.get(row.name);
      if (rows === undefined) byName.set(row.name, [row]);
      else rows.push(row);
    }
    for (const rows of byName.values()) {
      const live = rows.filter((row) => row.status !== "deleted");
      const latest = pickLatestVersion(live.length > 0 ? live : rows);
      if (latest !== null) latest.isLatest = true;
    }
  }
}

function toServerResponse(row: Row): object {
  const official: Record<string, unknown> = {
    status: row.status,
    statusChangedAt: row.updatedAt,
    publishedAt: row.publishedAt,
    updatedAt: row.updatedAt,
    isLatest: row.isLatest,
  };
  if (row.statusMessage !== null) official["statusMessage"] = row.statusMessage;
  return { server: row.server, _meta: { [OFFICIAL]: official, ...row.meta } };
}

function after(row: Row, cursor: { name: string; version: string }): boolean {
  const byName = byteOrder(row.name, cursor.name);
  return byName > 0 || (byName === 0 && byteOrder(row.version, cursor.version) > 0);
}

/** Code-unit order: the same as PostgreSQL's byte order (C collation) for the ASCII names and versions the registry accepts. */
function byteOrder(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function key(name: string, version: string): string {
  return JSON.stringify([name, version]);
}

/** Broken test entries may carry a non-string name or version; the row key must still exist. */
function text(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}
