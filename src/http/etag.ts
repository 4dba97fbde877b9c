/**
 * ETags and `If-Match` for the managed objects (PRODUCT.md §8.10): an object's revision `n` is the
 * ETag `"r<n>"`, a run.yaml object's is `"config"`. HTTP's spelling stays here; the admin services
 * and the stores speak revisions.
 */
import type { ExpectedRevision } from "../store/managed-store.js";

export function etag(revision: number | "config"): string {
  return revision === "config" ? '"config"' : `"r${revision}"`;
}

/**
 * `If-Match`: absent or `*` require nothing; one ETag of the form `"r<revision>"` (weak or strong)
 * requires that revision; anything else can never match.
 */
export function expectedRevision(ifMatch: string | undefined): ExpectedRevision {
  if (ifMatch === undefined || ifMatch.trim() === "*") return "any";
  const match = /^\s*(?:W\/)?"r(\d{1,15})"\s*$/.exec(ifMatch);
  return match?.[1] ? Number(match[1]) : "never";
}
