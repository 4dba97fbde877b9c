import { ConfigError } from "../errors/config-error.js";
import { checkConfigReferences, duplicateIssues } from "./check-config-references.js";
import {
  IGNORED_INFERENCE_CONFIG_KEYS,
  InferenceProviderSchema,
  RunConfigSchema,
  SERVED_INFERENCE_PROVIDER_TYPES,
  type InferenceProviderEntry,
} from "./config-schema.js";
import { HttpUrlSchema } from "./config-field-schemas.js";
import { configErrorMap, formatZodIssues } from "./format-config-issues.js";
import type { InferenceProviderConfig, PatchbayConfig } from "./patchbay-config.js";
import { readConfigFile } from "./read-config-file.js";
import { setAsideLlamaStackAuth } from "./set-aside-llama-stack-auth.js";
import {
  DEFAULT_INFERENCE_TIMEOUT_MS,
  normaliseInferenceBaseUrl,
  resolveConfig,
  toInferenceProviderConfig,
} from "./resolve-config.js";
import { isPlainObject, substituteEnv, type ConfigEnv } from "./substitute-env.js";
import { classifyTopLevelKey, unknownTopLevelKeyIssue } from "./top-level-keys.js";

/** Everything `loadConfig` reads; `env` is passed in because only `main.ts` reads `process.env`. */
export interface LoadConfigOptions {
  /** YAML file shaped like a Llama Stack run.yaml; none → built-in defaults. */
  path?: string | undefined;
  env: ConfigEnv;
  /** CLI `--host`/`--port`: win over the file (PRODUCT.md §2). */
  overrides?: { host?: string | undefined; port?: number | undefined } | undefined;
}

const USED_PROVIDER_APIS = new Set(["inference", "agents"]);
const DEFAULT_INFERENCE_BASE_URL = "http://127.0.0.1:11434/v1";

/**
 * Reads, substitutes, validates and resolves the configuration once at startup. Every problem is
 * collected and thrown together as one `ConfigError` (each line prefixed by its path, e.g.
 * `providers.agents[0].config.connectors[2].url: invalid URL ...`), so the process exits with
 * code 2 and no partial start (PRODUCT.md §2, §8.1, §8.2, §8.18).
 *
 * Parts of a Llama Stack run.yaml that Patchbay does not serve (the Llama Stack top-level keys of
 * `UNUSED_LLAMA_STACK_TOP_LEVEL_KEYS`, other provider APIs, inference providers of other types or
 * disabled by an empty `provider_id`) are not substituted or validated; they are named in
 * `ignored` for one startup warning. Any other top-level key is an issue (PRODUCT.md §8.2).
 */
export function loadConfig(options: LoadConfigOptions): PatchbayConfig {
  const { env } = options;
  const tree = options.path === undefined ? {} : readConfigFile(options.path);
  const issues: string[] = [];
  const ignored: string[] = [];
  const unsetPaths: string[] = [];
  const substitute = (value: unknown, path: string): unknown => {
    const result = substituteEnv(value, env, path);
    issues.push(...result.issues);
    unsetPaths.push(...result.unsetPaths);
    return result.value;
  };
  /** An unset variable is reported once: not again as the empty or broken value it leaves. */
  const besidesUnset = (found: readonly string[]): string[] =>
    found.filter((issue) => !unsetPaths.some((path) => isAtOrBelow(issue, path)));

  const used: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tree)) {
    const kind = classifyTopLevelKey(key);
    if (kind === "unknown") {
      issues.push(unknownTopLevelKeyIssue(key));
    } else if (kind === "ignored") {
      ignored.push(key);
    } else if (key === "server") {
      const setAside = setAsideLlamaStackAuth(substitute(value, key));
      used[key] = setAside.server;
      ignored.push(...setAside.ignored);
      issues.push(...setAside.issues);
    } else if (key !== "providers") {
      used[key] = substitute(value, key);
      if (key === "storage" && isPlainObject(value) && "stores" in value) {
        ignored.push("storage.stores");
      }
    }
  }

  let inferenceEntries: unknown = undefined;
  const providers = tree["providers"];
  if (isPlainObject(providers)) {
    const usedProviders: Record<string, unknown> = {};
    for (const [api, entries] of Object.entries(providers)) {
      if (!USED_PROVIDER_APIS.has(api)) {
        ignored.push(`providers.${api}`);
      } else if (api === "agents") {
        usedProviders[api] = substitute(entries, "providers.agents");
      } else {
        inferenceEntries = entries;
      }
    }
    used["providers"] = usedProviders;
  } else if (providers !== undefined) {
    used["providers"] = providers;
  }

  const inference: Array<{ index: number; entry: InferenceProviderEntry }> = [];
  if (Array.isArray(inferenceEntries)) {
    inferenceEntries.forEach((entry: unknown, index) => {
      const path = `providers.inference[${index}]`;
      const served = selectServedEntry(entry, path, ignored, substitute);
      if (served === undefined) return;
      const parsed = InferenceProviderSchema.safeParse(served, { error: configErrorMap });
      if (parsed.success) {
        inference.push({ index, entry: parsed.data });
      } else {
        issues.push(...besidesUnset(formatZodIssues(parsed.error.issues, path)));
      }
    });
  } else if (inferenceEntries !== undefined && inferenceEntries !== null) {
    issues.push("providers.inference: expected a list of providers");
  }
  issues.push(...duplicateProviderIds(inference));

  const parsed = RunConfigSchema.safeParse(used, { error: configErrorMap });
  if (!parsed.success) {
    issues.push(...besidesUnset(formatZodIssues(parsed.error.issues, "")));
  }
  issues.push(...besidesUnset(checkConfigReferences(used)));
  const resolvedInference =
    inference.length === 0
      ? defaultInferenceProvider(env, issues)
      : inference.map(({ entry }) => toInferenceProviderConfig(entry));

  if (!parsed.success || issues.length > 0) {
    throw new ConfigError(issues);
  }
  return resolveConfig({
    run: parsed.data,
    inference: resolvedInference,
    ignored,
    env,
    overrides: options.overrides ?? {},
  });
}

/**
 * Returns the substituted entry when Patchbay serves it; otherwise records why it is skipped.
 * Only `provider_id` and `provider_type` are substituted before deciding, so an unset variable
 * inside a skipped provider's config does not stop the start.
 */
function selectServedEntry(
  entry: unknown,
  path: string,
  ignored: string[],
  substitute: (value: unknown, path: string) => unknown,
): unknown {
  if (!isPlainObject(entry)) {
    return entry;
  }
  const providerId = substitute(entry["provider_id"], `${path}.provider_id`);
  const providerType = substitute(entry["provider_type"], `${path}.provider_type`);
  if (providerId === "" || providerId === "__disabled__") {
    ignored.push(`${path} (disabled: empty provider_id)`);
    return undefined;
  }
  if (typeof providerType === "string" && !isServedType(providerType)) {
    ignored.push(`${path} (${providerType})`);
    return undefined;
  }
  const config = entry["config"];
  if (isPlainObject(config)) {
    for (const key of IGNORED_INFERENCE_CONFIG_KEYS) {
      if (key in config) ignored.push(`${path}.config.${key}`);
    }
  }
  return substitute(entry, path);
}

/** Whether an issue line (`path: message`) is about `path` or something inside it. */
function isAtOrBelow(issue: string, path: string): boolean {
  return [": ", ".", "["].some((next) => issue.startsWith(`${path}${next}`));
}

function isServedType(providerType: string): boolean {
  return SERVED_INFERENCE_PROVIDER_TYPES.some((served) => served === providerType);
}

/** The same `provider_id` twice among the served providers (skipped entries do not count). */
function duplicateProviderIds(
  inference: ReadonlyArray<{ index: number; entry: InferenceProviderEntry }>,
): string[] {
  return duplicateIssues(
    inference.map(({ index, entry }) => ({
      value: entry.provider_id,
      path: `providers.inference[${index}].provider_id`,
      entryPath: `inference[${index}]`,
      ownerPath: "providers",
    })),
    (value) => `'${value}'`,
  );
}

/** No served provider in the file: `INFERENCE_BASE_URL`/`INFERENCE_API_KEY` (PRODUCT.md §2). */
function defaultInferenceProvider(env: ConfigEnv, issues: string[]): InferenceProviderConfig[] {
  const fromEnv = env["INFERENCE_BASE_URL"];
  const baseUrl = fromEnv === undefined || fromEnv === "" ? DEFAULT_INFERENCE_BASE_URL : fromEnv;
  if (!HttpUrlSchema.safeParse(baseUrl).success) {
    issues.push("INFERENCE_BASE_URL: invalid URL (expected an absolute http:// or https:// URL)");
    return [];
  }
  const apiKey = env["INFERENCE_API_KEY"];
  const provider: InferenceProviderConfig = {
    providerId: "default",
    providerType: "remote::openai-compatible",
    baseUrl: normaliseInferenceBaseUrl(baseUrl, "remote::openai-compatible"),
    apiKey: apiKey === undefined || apiKey === "" ? null : apiKey,
    timeoutMs: DEFAULT_INFERENCE_TIMEOUT_MS,
  };
  return [provider];
}
