/**
 * A `RegistryClient` port fake that pages like the official API (reference mcp-registry-api.md §1):
 * order by (name, version) in byte order, `name:version` cursors, a cursor whenever a page is full,
 * `updated_since` strict and including deleted entries, deleted hidden otherwise. Tests steer it
 * (failures, a gate that holds pages back, a scripted page function) and read what it was asked.
 */
import { pickLatestVersion } from "../../src/store/pick-latest-version.js";
import type {
  ListServersQuery,
  RegistryClient,
  RegistryPage,
  RegistryServerEntry,
} from "../../src/registries/registry-types.js";
import { untilAborted } from "../../src/lib/until-aborted.js";

export class InMemoryRegistryClient implements RegistryClient {
  readonly #entries = new Map<string, RegistryServerEntry>();
  /** Every `listPage` query, in order. */
  readonly requests: ListServersQuery[] = [];
  /** Every signal the client was given. */
  readonly signals: AbortSignal[] = [];
  getVersionCalls = 0;
  /** Thrown by every call while set (a registry outage). */
  failure: Error | null = null;
  /** While set, `listPage` waits for it (or for its signal) before answering. */
  gate: Promise<void> | null = null;
  /** Replaces the paging logic, e.g. to serve an endless listing. */
  script: ((query: ListServersQuery) => RegistryPage) | null = null;
  /** Entries per page reported as unparseable and skipped. */
  skippedPerPage = 0;

  constructor(entries: readonly RegistryServerEntry[] = []) {
    this.put(...entries);
  }

  /** Adds or replaces entries, keyed on (name, version), as publishing or a status change does. */
  put(...entries: RegistryServerEntry[]): void {
    for (const entry of entries) this.#entries.set(sortKey(entry), entry);
  }

  async listPage(query: ListServersQuery, signal: AbortSignal): Promise<RegistryPage> {
    this.requests.push(query);
    this.signals.push(signal);
    if (this.gate !== null) await untilAborted(this.gate, signal);
    if (this.failure !== null) throw this.failure;
    if (this.script !== null) return this.script(query);
    const since = query.updatedSince === undefined ? null : Date.parse(query.updatedSince);
    const visible = [...this.#entries.values()]
      .filter((entry) =>
        since === null ? entry.status !== "deleted" : Date.parse(entry.updatedAt ?? "") > since,
      )
      .sort(byNameThenVersion);
    const after = query.cursor === undefined ? null : cursorKey(query.cursor);
    const entries = visible
      .filter((entry) => after === null || sortKey(entry) > after)
      .slice(0, query.limit);
    const last = entries.at(-1);
    const full = entries.length >= query.limit && last !== undefined;
    return {
      entries,
      skipped: entries.length > 0 ? this.skippedPerPage : 0,
      nextCursor: full ? `${last.name}:${last.version}` : null,
    };
  }

  getVersion(
    name: string,
    version: string,
    signal: AbortSignal,
  ): Promise<RegistryServerEntry | null> {
    this.getVersionCalls += 1;
    this.signals.push(signal);
    if (this.failure !== null) return Promise.reject(this.failure);
    const versions = [...this.#entries.values()].filter(
      (entry) => entry.name === name && entry.status !== "deleted",
    );
    const found =
      version === "latest"
        ? pickLatestVersion(versions)
        : (versions.find((entry) => entry.version === version) ?? null);
    return Promise.resolve(found);
  }
}

/** `\n` sorts before every character of a name, so keys order like (name, version). */
function sortKey(entry: { name: string; version: string }): string {
  return `${entry.name}\n${entry.version}`;
}

function byNameThenVersion(left: RegistryServerEntry, right: RegistryServerEntry): number {
  const leftKey = sortKey(left);
  const rightKey = sortKey(right);
  return leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0;
}

/** The API's cursor is `name:version`, split at the first `:` (names hold none). */
function cursorKey(cursor: string): string {
  const separator = cursor.indexOf(":");
  return sortKey({ name: cursor.slice(0, separator), version: cursor.slice(separator + 1) });
}
