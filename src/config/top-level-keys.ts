import { closestMatch } from "../lib/closest-match.js";

/*
 * The top level of a run.yaml (PRODUCT.md §8.2). A typo there must stop the start: a misspelled
 * `sever:` holding `auth.api_keys` would otherwise start a server without keys.
 */

/** The top-level keys Patchbay reads; `connectors` is OGX's list, used like the agents provider's. */
export const USED_TOP_LEVEL_KEYS = ["server", "storage", "providers", "connectors"] as const;

/** Llama Stack / OGX top-level keys Patchbay does not use: accepted with one warning. */
export const UNUSED_LLAMA_STACK_TOP_LEVEL_KEYS = [
  "version",
  "image_name",
  "distro_name",
  "container_image",
  "apis",
  "metadata_store",
  "inference_store",
  "conversations_store",
  "registered_resources",
  "models",
  "shields",
  "vector_dbs",
  "vector_stores",
  "datasets",
  "scoring_fns",
  "benchmarks",
  "tool_groups",
  "logging",
  "telemetry",
  "safety",
  "quota",
  "external_providers_dir",
  "external_apis_dir",
] as const;

export type TopLevelKeyKind = "used" | "ignored" | "unknown";

const KNOWN_KEYS: readonly string[] = [
  ...USED_TOP_LEVEL_KEYS,
  ...UNUSED_LLAMA_STACK_TOP_LEVEL_KEYS,
];

export function classifyTopLevelKey(key: string): TopLevelKeyKind {
  if (USED_TOP_LEVEL_KEYS.some((used) => used === key)) return "used";
  if (UNUSED_LLAMA_STACK_TOP_LEVEL_KEYS.some((unused) => unused === key)) return "ignored";
  return "unknown";
}

/** `sever: unknown top-level key; did you mean 'server'?`, or what the known keys are. */
export function unknownTopLevelKeyIssue(key: string): string {
  const meant = closestMatch(key, KNOWN_KEYS);
  if (meant !== null) return `${key}: unknown top-level key; did you mean '${meant}'?`;
  return `${key}: unknown top-level key (Patchbay reads ${USED_TOP_LEVEL_KEYS.join(", ")}; other Llama Stack keys such as version, apis or models are accepted and ignored)`;
}
