/**
 * The registry's rule for which version of a name is the latest (reference mcp-registry-api.md §4
 * "Versioning semantics", upstream `internal/service/versioning.go`), applied locally because the
 * registry's own `isLatest` flag goes stale on incremental sync (PRODUCT.md §5 "Mirror"). Shared by
 * every `RegistryMirror` adapter so SQLite and PostgreSQL agree.
 */
import { compareStrings } from "../lib/compare-strings.js";

/** What the rule looks at: the version string and when it was published. */
export interface VersionCandidate {
  version: string;
  publishedAt: string | null;
}

interface ParsedSemver {
  core: [string, string, string];
  prerelease: string[];
}

const numeric = "0|[1-9]\\d*";
const identifier = "(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)";
/** Exactly major.minor.patch (optional leading `v`), as upstream requires on top of Go's semver. */
const semverPattern = new RegExp(
  `^v?(${numeric})\\.(${numeric})\\.(${numeric})` +
    `(?:-(${identifier}(?:\\.${identifier})*))?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);

function parseSemver(version: string): ParsedSemver | null {
  const match = semverPattern.exec(version);
  if (match === null) return null;
  const [, major = "", minor = "", patch = "", prerelease] = match;
  return { core: [major, minor, patch], prerelease: prerelease?.split(".") ?? [] };
}

/** Numeric strings without leading zeros compare by length first, so huge numbers stay exact. */
function compareNumeric(left: string, right: string): number {
  if (left.length !== right.length) return left.length < right.length ? -1 : 1;
  return compareStrings(left, right);
}

function compareIdentifiers(left: string, right: string): number {
  const leftNumeric = /^\d+$/.test(left);
  const rightNumeric = /^\d+$/.test(right);
  if (leftNumeric && rightNumeric) return compareNumeric(left, right);
  if (leftNumeric !== rightNumeric) return leftNumeric ? -1 : 1;
  return compareStrings(left, right);
}

/** Semantic Versioning 2.0 precedence; build metadata is ignored. */
function compareSemver(left: ParsedSemver, right: ParsedSemver): number {
  for (let index = 0; index < 3; index += 1) {
    const order = compareNumeric(left.core[index] ?? "", right.core[index] ?? "");
    if (order !== 0) return order;
  }
  const leftIsRelease = left.prerelease.length === 0;
  const rightIsRelease = right.prerelease.length === 0;
  if (leftIsRelease || rightIsRelease) {
    if (leftIsRelease === rightIsRelease) return 0;
    return leftIsRelease ? 1 : -1;
  }
  const length = Math.min(left.prerelease.length, right.prerelease.length);
  for (let index = 0; index < length; index += 1) {
    const order = compareIdentifiers(left.prerelease[index] ?? "", right.prerelease[index] ?? "");
    if (order !== 0) return order;
  }
  return Math.sign(left.prerelease.length - right.prerelease.length);
}

function publishedTime(candidate: VersionCandidate): number {
  const time = candidate.publishedAt === null ? Number.NaN : Date.parse(candidate.publishedAt);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/** Tie-break so every adapter picks the same row: later publish, then the larger version string. */
function compareTieBreak(left: VersionCandidate, right: VersionCandidate): number {
  const byTime = publishedTime(left) - publishedTime(right);
  if (byTime !== 0 && !Number.isNaN(byTime)) return Math.sign(byTime);
  return compareStrings(left.version, right.version);
}

/**
 * Upstream's order: two semver versions compare by precedence (1.10.0 > 1.9.0, 1.2.3 > 1.2.3-rc.1);
 * a semver version beats a non-semver one; two non-semver versions compare by `publishedAt`.
 * Returns a negative number, zero or a positive number, like a sort comparator.
 */
export function compareRegistryVersions(left: VersionCandidate, right: VersionCandidate): number {
  const leftSemver = parseSemver(left.version);
  const rightSemver = parseSemver(right.version);
  if (leftSemver !== null && rightSemver !== null) {
    const order = compareSemver(leftSemver, rightSemver);
    return order !== 0 ? order : compareTieBreak(left, right);
  }
  if (leftSemver !== null) return 1;
  if (rightSemver !== null) return -1;
  return compareTieBreak(left, right);
}

/** The latest of a name's (non-deleted) versions, or null when there are none. */
export function pickLatestVersion<T extends VersionCandidate>(candidates: readonly T[]): T | null {
  let latest: T | null = null;
  for (const candidate of candidates) {
    if (latest === null || compareRegistryVersions(candidate, latest) > 0) latest = candidate;
  }
  return latest;
}
