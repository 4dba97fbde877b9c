/**
 * How every `RegistryMirror` adapter turns a listing query into a range of connector ids and a
 * search term (PRODUCT.md §8.8), so SQLite and PostgreSQL page and search identically.
 */
import type { ListMirroredQuery } from "./registry-mirror.js";
import type { RegistryServerEntry } from "./registry-server-entry.js";

const maxListLimit = 1000;
/** Every connector id starts with `mcp::`, and `;` follows `:`, so this bounds them all. */
const allConnectorsUpperBound = "mcp:;";

/** Lower-cased once at write time, so a search is a plain substring test with a lower-cased term. */
export function toSearchText(entry: RegistryServerEntry): string {
  return [entry.name, entry.title ?? "", entry.description ?? ""].join("\n").toLowerCase();
}

/** What a listing reads: connector ids in `(lower, upper)`, `limit + 1` rows, `term` if not empty. */
export interface MirrorListingBounds {
  lower: string;
  upper: string;
  /** Lower-cased; empty means no search. */
  term: string;
  /** One more than the page, to tell whether another page exists. */
  fetch: number;
}

/** Throws `RangeError` for a `limit` outside 1–1000 (the HTTP layer validates it first). */
export function toListingBounds(query: ListMirroredQuery): MirrorListingBounds {
  const { limit } = query;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxListLimit) {
    throw new RangeError(`limit must be an integer from 1 to ${maxListLimit}, got ${limit}`);
  }
  const [prefix, upper] =
    query.registryId === undefined
      ? ["", allConnectorsUpperBound]
      : registryConnectorRange(query.registryId);
  // Ids under a prefix are longer than it, so `> prefix` keeps them all.
  const after = query.after ?? "";
  return {
    lower: after > prefix ? after : prefix,
    upper,
    term: query.search?.toLowerCase() ?? "",
    fetch: limit + 1,
  };
}

/**
 * `[prefix, upper)` holding exactly the registry's connector ids: registry ids cannot contain `:`
 * (`REGISTRY_ID_PATTERN` in connectors/connector-ids.ts), and `;` is the byte after `:`.
 */
function registryConnectorRange(registryId: string): [string, string] {
  return [`mcp::${registryId}::`, `mcp::${registryId}:;`];
}
