import { formatZodPath } from "../lib/format-zod-path.js";
import { isPlainObject } from "./substitute-env.js";

/** Backends that exist without being declared (PRODUCT.md §8.1). */
export const DEFAULT_BACKEND_NAMES = ["kv_default", "sql_default"] as const;

/** One value of a field that must be unique, and where it stands. */
export interface Occurrence {
  value: string;
  /** Full path of the field holding the value. */
  path: string;
  /** Path of the entry, relative to the list's owner when that is shared (`connectors[1]`). */
  entryPath: string;
  /** Path of the list's owner, to name a first occurrence under another owner in full. */
  ownerPath: string;
}

/**
 * Checks that span entries: duplicate connector ids (`connector_id` or its alias `name`, across
 * all agents providers and OGX's top-level `connectors`), duplicate registry ids, duplicate API
 * keys and backend names referenced but not defined (PRODUCT.md §2, §8.1, §8.2, §8.18). Reads the
 * substituted tree tolerantly, so these issues are reported together with schema issues rather
 * than after a second run. Blank values are left to the schema ("must not be empty"), so an
 * unset variable used twice is not also reported as a duplicate.
 */
export function checkConfigReferences(tree: Record<string, unknown>): string[] {
  const connectors: Occurrence[] = [];
  const registries: Occurrence[] = [];
  const backendReferences: Array<{ value: string; path: string }> = [];

  const providers = tree["providers"];
  const agents = isPlainObject(providers) ? providers["agents"] : undefined;
  listOf(agents).forEach((provider, providerIndex) => {
    const configPath = `providers.agents[${providerIndex}].config`;
    const config = field(provider, "config");
    connectors.push(...occurrencesIn(config, configPath, "connectors", ["connector_id", "name"]));
    registries.push(...occurrencesIn(config, configPath, "mcp_registries", ["id"]));
    const persistence = field(config, "persistence");
    for (const store of ["agent_state", "responses"]) {
      const backend = field(field(persistence, store), "backend");
      if (typeof backend === "string") {
        backendReferences.push({
          value: backend,
          path: `${configPath}.persistence.${store}.backend`,
        });
      }
    }
  });
  connectors.push(...occurrencesIn(tree, "", "connectors", ["connector_id", "name"]));
  const apiKeys = occurrencesIn(field(tree["server"], "auth"), "server.auth", "api_keys", ["key"]);
  // A key's name is the owner of what it stores (PRODUCT.md §9.3): two keys must not share one.
  const keyNames = occurrencesIn(field(tree["server"], "auth"), "server.auth", "api_keys", [
    "name",
  ]);

  const storage = tree["storage"];
  const stores = field(storage, "stores");
  if (isPlainObject(stores)) {
    for (const [name, store] of Object.entries(stores)) {
      const backend = field(store, "backend");
      if (typeof backend === "string") {
        backendReferences.push({
          value: backend,
          path: formatZodPath(["storage.stores", name, "backend"]),
        });
      }
    }
  }
  const declared = field(storage, "backends");
  const defined = new Set<string>([
    ...DEFAULT_BACKEND_NAMES,
    ...(isPlainObject(declared) ? Object.keys(declared) : []),
  ]);

  return [
    ...duplicateIssues(connectors, (value) => `'${value}'`),
    ...duplicateIssues(registries, (value) => `'${value}'`),
    ...duplicateIssues(apiKeys, () => "key"),
    ...duplicateIssues(keyNames, (value) => `name '${value}'`),
    ...backendReferences
      .filter((reference) => !defined.has(reference.value))
      .map(
        (reference) =>
          `${reference.path}: backend '${reference.value}' is not defined in storage.backends`,
      ),
  ];
}

/**
 * The string values of `owner.<list>[i].<key>`, `key` being the first of `keys` that holds a
 * string there (`connector_id`, else its alias `name`).
 */
function occurrencesIn(
  owner: unknown,
  ownerPath: string,
  list: string,
  keys: readonly string[],
): Occurrence[] {
  return listOf(field(owner, list)).flatMap((entry, index) => {
    const key = keys.find((candidate) => typeof field(entry, candidate) === "string");
    const value = key === undefined ? undefined : field(entry, key);
    if (typeof value !== "string" || value.trim() === "") return [];
    const entryPath = `${list}[${index}]`;
    return [{ value, path: `${joinPath(ownerPath, entryPath)}.${key}`, entryPath, ownerPath }];
  });
}

/** `<path>: duplicate <value> (first at <entry>)` for every repeat of an earlier value. */
export function duplicateIssues(
  occurrences: readonly Occurrence[],
  describe: (value: string) => string,
): string[] {
  const first = new Map<string, Occurrence>();
  const issues: string[] = [];
  for (const occurrence of occurrences) {
    const earlier = first.get(occurrence.value);
    if (earlier === undefined) {
      first.set(occurrence.value, occurrence);
      continue;
    }
    const where =
      earlier.ownerPath === occurrence.ownerPath
        ? earlier.entryPath
        : joinPath(earlier.ownerPath, earlier.entryPath);
    issues.push(`${occurrence.path}: duplicate ${describe(occurrence.value)} (first at ${where})`);
  }
  return issues;
}

/** `owner.entry`, or `entry` alone for a list at the top level. */
function joinPath(ownerPath: string, entryPath: string): string {
  return ownerPath === "" ? entryPath : `${ownerPath}.${entryPath}`;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function field(value: unknown, key: string): unknown {
  return isPlainObject(value) ? value[key] : undefined;
}
