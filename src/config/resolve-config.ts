import { homedir } from "node:os";
import { join } from "node:path";
import type { InferenceProviderEntry, RunConfig, StorageBackend } from "./config-schema.js";
import type {
  InferenceLimitsConfig,
  InferenceProviderConfig,
  McpLimitsConfig,
  PatchbayConfig,
  StorageBackendConfig,
} from "./patchbay-config.js";
import type { ConfigEnv } from "./substitute-env.js";

/** Loopback by default: with no API keys every route is open (PRODUCT.md §2, §8.3). */
export const DEFAULT_HOST = "127.0.0.1";
/** Llama Stack's port, so clients configured for it work unchanged (PRODUCT.md §2). */
export const DEFAULT_PORT = 8321;
/** Larger bodies get 413. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Holds responses, connectors, registries and the mirror unless the agents provider names another (PRODUCT.md §8.1). */
export const DEFAULT_STORAGE_BACKEND = "sql_default";
/** No first byte within this → 504 (PRODUCT.md §8.15). */
export const DEFAULT_INFERENCE_TIMEOUT_MS = 60_000;

/** Per MCP request to a user-supplied `server_url`, and to a connector without `timeout_ms`. */
export const DEFAULT_MCP_TIMEOUT_MS = 30_000;
/**
 * Limits on what peers send (PRODUCT.md §9.1). Generous for real servers (a big server's
 * `tools/list` is a few hundred kB, real tool results a few MB), small enough that 20 hostile
 * answers at once stay far below the memory of a small container.
 */
export const DEFAULT_MCP_LIMITS: McpLimitsConfig = {
  maxMessageBytes: 4 * 1024 * 1024,
  maxToolResultBytes: 16 * 1024 * 1024,
  maxToolsListBytes: 8 * 1024 * 1024,
};
export const DEFAULT_INFERENCE_LIMITS: InferenceLimitsConfig = {
  maxResponseBytes: 16 * 1024 * 1024,
  maxEventBytes: 4 * 1024 * 1024,
};
export const DEFAULT_REGISTRY_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Short: long enough that a burst of lookups fails fast, short enough to notice a recovery. */
export const DEFAULT_REGISTRY_FAILURE_CACHE_MS = 10_000;
/** `server.registry_api.namespace`: config and admin connectors are served as `local.patchbay/<id>`. */
export const DEFAULT_REGISTRY_API_NAMESPACE = "local.patchbay";
/** 40 missed renewals: a long GC pause or a database hiccup does not fail a live run. */
export const DEFAULT_BACKGROUND_LEASE_MS = 10_000;

/** What `loadConfig` has validated, ready to be folded. */
export interface ResolveConfigInput {
  run: RunConfig;
  /** Already resolved: the file's served providers, or the env default provider. */
  inference: InferenceProviderConfig[];
  ignored: string[];
  env: ConfigEnv;
  overrides: { host?: string | undefined; port?: number | undefined };
}

/**
 * Folds a validated run.yaml into `PatchbayConfig`: defaults, aliases and normalised URLs, so no
 * other module re-derives them (PRODUCT.md §2, §8.1, §8.19). Only called when validation found
 * no issue, so it cannot fail.
 */
export function resolveConfig(input: ResolveConfigInput): PatchbayConfig {
  const { run, env, overrides } = input;
  const server = run.server;
  const backends = resolveBackends(run.storage.backends, env);
  const agents = run.providers.agents;
  const backendName =
    agents.find((provider) => provider.config.persistence?.responses !== undefined)?.config
      .persistence?.responses?.backend ?? DEFAULT_STORAGE_BACKEND;
  const backend = backends.find((candidate) => candidate.name === backendName);
  if (backend === undefined) {
    throw new Error(`storage backend '${backendName}' was validated but is missing`);
  }
  const apiKeys = (server.auth?.api_keys ?? []).map((apiKey) => ({
    key: apiKey.key,
    role: apiKey.role,
    name: apiKey.name,
    user: apiKey.user,
    mayActForUsers: apiKey.may_act_for_users ?? false,
  }));
  const mcp = server.mcp;
  return {
    server: {
      host: overrides.host ?? server.host ?? DEFAULT_HOST,
      port: overrides.port ?? server.port ?? DEFAULT_PORT,
      apiKeys,
      maxBodyBytes: server.max_body_bytes ?? DEFAULT_MAX_BODY_BYTES,
      mcp: {
        allowServerUrl: mcp?.allow_server_url ?? true,
        egress: {
          denyCidrs: mcp?.egress?.deny_cidrs ?? [],
          allowCidrs: mcp?.egress?.allow_cidrs ?? [],
          // Secure by default once the server is shared (keys exist): no SSRF into the private
          // network. Without keys it only listens on loopback, where local MCP servers are the point.
          blockPrivate: mcp?.egress?.block_private ?? apiKeys.length > 0,
        },
        timeoutMs: mcp?.timeout_ms ?? DEFAULT_MCP_TIMEOUT_MS,
        limits: {
          maxMessageBytes: mcp?.max_message_bytes ?? DEFAULT_MCP_LIMITS.maxMessageBytes,
          maxToolResultBytes: mcp?.max_tool_result_bytes ?? DEFAULT_MCP_LIMITS.maxToolResultBytes,
          maxToolsListBytes: mcp?.max_tools_list_bytes ?? DEFAULT_MCP_LIMITS.maxToolsListBytes,
        },
      },
      inference: {
        limits: {
          maxResponseBytes:
            server.inference?.max_response_bytes ?? DEFAULT_INFERENCE_LIMITS.maxResponseBytes,
          maxEventBytes:
            server.inference?.max_event_bytes ?? DEFAULT_INFERENCE_LIMITS.maxEventBytes,
        },
      },
      registries: {
        maxBodyBytes: server.registries?.max_body_bytes ?? DEFAULT_REGISTRY_MAX_BODY_BYTES,
        failureCacheMs: server.registries?.failure_cache_ms ?? DEFAULT_REGISTRY_FAILURE_CACHE_MS,
      },
      registryApi: {
        namespace: server.registry_api?.namespace ?? DEFAULT_REGISTRY_API_NAMESPACE,
      },
      background: { leaseMs: server.background?.lease_ms ?? DEFAULT_BACKGROUND_LEASE_MS },
    },
    storage: { backend, backends, retentionDays: run.storage.retention_days ?? null },
    inference: input.inference,
    connectors: [...agents.flatMap((provider) => provider.config.connectors), ...run.connectors],
    registries: agents.flatMap((provider) => provider.config.mcp_registries),
    ignored: input.ignored,
  };
}

/** `${PATCHBAY_HOME:=./.patchbay}`: where the default SQLite files live (PRODUCT.md §8.1). */
export function defaultBackends(env: ConfigEnv): StorageBackendConfig[] {
  const home =
    env["PATCHBAY_HOME"] === undefined || env["PATCHBAY_HOME"] === ""
      ? "./.patchbay"
      : env["PATCHBAY_HOME"];
  return [
    { name: "kv_default", kind: "sqlite", dbPath: expandHome(join(home, "kv_store.db"), env) },
    { name: "sql_default", kind: "sqlite", dbPath: expandHome(join(home, "sql_store.db"), env) },
  ];
}

/** Base URL as OpenAI clients expect it; Llama Stack's ollama `url` is the host, without `/v1`. */
export function normaliseInferenceBaseUrl(
  url: string,
  providerType: InferenceProviderConfig["providerType"],
): string {
  const trimmed = url.replace(/\/+$/, "");
  return providerType === "remote::ollama" && !trimmed.endsWith("/v1") ? `${trimmed}/v1` : trimmed;
}

function resolveBackends(
  declared: Record<string, StorageBackend>,
  env: ConfigEnv,
): StorageBackendConfig[] {
  const resolved = defaultBackends(env).filter((backend) => declared[backend.name] === undefined);
  for (const [name, backend] of Object.entries(declared)) {
    resolved.push(toBackendConfig(name, backend, env));
  }
  return resolved;
}

function toBackendConfig(
  name: string,
  backend: StorageBackend,
  env: ConfigEnv,
): StorageBackendConfig {
  switch (backend.type) {
    case "kv_sqlite":
    case "sql_sqlite":
      return { name, kind: "sqlite", dbPath: expandHome(backend.db_path, env) };
    case "kv_postgres":
    case "sql_postgres": {
      const { type: _type, ...connection } = backend;
      return { name, kind: "postgres", ...connection };
    }
  }
}

/** Llama Stack files put SQLite under `~/.llama/...`. */
function expandHome(path: string, env: ConfigEnv): string {
  if (path !== "~" && !path.startsWith("~/")) {
    return path;
  }
  const home = env["HOME"] === undefined || env["HOME"] === "" ? homedir() : env["HOME"];
  return join(home, path.slice(1));
}

/** A validated `providers.inference[]` entry as the inference adapter needs it. */
export function toInferenceProviderConfig(entry: InferenceProviderEntry): InferenceProviderConfig {
  return {
    providerId: entry.provider_id,
    providerType: entry.provider_type,
    baseUrl: normaliseInferenceBaseUrl(entry.base_url, entry.provider_type),
    apiKey: entry.api_key,
    timeoutMs: entry.timeout_ms ?? DEFAULT_INFERENCE_TIMEOUT_MS,
  };
}
