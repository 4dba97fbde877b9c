/**
 * The resolved configuration every other module consumes: defaults applied, env substituted,
 * aliases folded (`name` → `connectorId`, `base_url`/`url` → `baseUrl`). Produced only by
 * `loadConfig` (PRODUCT.md §2, §8.1–§8.2). A connector's shape is the connector model's own
 * (`connectors/connector-schema.ts`), a registry's the registry model's
 * (`registries/registry-schema.ts`).
 */
import type { ConnectorConfig } from "../connectors/connector-schema.js";
import type { RegistryConfig } from "../registries/registry-schema.js";

export type { RegistryConfig };

export type ApiKeyRole = "admin" | "user";

export interface ApiKeyConfig {
  key: string;
  role: ApiKeyRole;
  /** Identifies the key's stored responses and conversations (PRODUCT.md §9.3); unique. */
  name: string | null;
  /** The end user every request with this key acts for, or null. */
  user: string | null;
  /** The key may name the end user per request (`X-Patchbay-User`, or the body's `user`). */
  mayActForUsers: boolean;
}

export type InferenceProviderType =
  "remote::openai" | "remote::vllm" | "remote::ollama" | "remote::openai-compatible";

export interface InferenceProviderConfig {
  providerId: string;
  providerType: InferenceProviderType;
  /** Base URL of an OpenAI-compatible API, ending before `/chat/completions` (e.g. `http://127.0.0.1:11434/v1`). */
  baseUrl: string;
  apiKey: string | null;
  /** No first byte within this → 504 (PRODUCT.md §8.15). */
  timeoutMs: number;
}

export type PostgresSslMode = "disable" | "require" | "verify-ca" | "verify-full";

/**
 * A PostgreSQL backend (PRODUCT.md §2 "Storage", issue 13 §1): where to connect, the schema that
 * holds Patchbay's tables, and the pool's bounds. `password` is never logged, echoed or put in an
 * error message.
 */
export interface PostgresBackendConfig {
  name: string;
  kind: "postgres";
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | null;
  /** Created at startup if missing; migrations and tables live in it. */
  schema: string;
  /** libpq's meanings: `require` encrypts without checking the certificate. */
  sslMode: PostgresSslMode;
  /** PEM bundle trusted for `verify-ca`/`verify-full`; null: Node's default CAs. */
  caCertPath: string | null;
  /** `pool_size` + `max_overflow`: connections this process opens at most. */
  maxConnections: number;
  /** `pool_recycle`: a connection older than this is replaced; null: never. */
  maxConnectionLifetimeS: number | null;
  /** Server-side limit per statement; the client gives up shortly after it too. */
  statementTimeoutMs: number;
  /** Connecting, or waiting for a free pooled connection, fails after this (→ 503). */
  connectTimeoutMs: number;
}

export type StorageBackendConfig =
  { name: string; kind: "sqlite"; dbPath: string } | PostgresBackendConfig;

/**
 * Egress policy for user-supplied `server_url` (PRODUCT.md §7): link-local and cloud-metadata
 * addresses are always blocked; `denyCidrs` adds ranges, `blockPrivate` adds RFC 1918, ULA,
 * CGNAT, loopback and unspecified (resolved: true when API keys are configured, unless the file
 * says otherwise); `allowCidrs` exempts ranges from all of it. Admin connectors are exempt.
 */
export interface EgressConfig {
  denyCidrs: string[];
  allowCidrs: string[];
  blockPrivate: boolean;
}

/**
 * What Patchbay reads from MCP servers (PRODUCT.md §9.1): every limit fails the one call that
 * exceeds it (424 while listing, `mcp_call.error` for a call) and closes its connection.
 */
export interface McpLimitsConfig {
  /** One JSON-RPC message other than a tool result (initialize, a `tools/list` page, an SSE event). */
  maxMessageBytes: number;
  /** One `tools/call` answer. */
  maxToolResultBytes: number;
  /** All pages of one `tools/list` together. */
  maxToolsListBytes: number;
}

/** What Patchbay reads from model servers: a JSON body, and one SSE event of a stream. */
export interface InferenceLimitsConfig {
  maxResponseBytes: number;
  maxEventBytes: number;
}

export interface RegistriesConfig {
  /** Largest registry response body. */
  maxBodyBytes: number;
  /** How long a registry outage seen by a live lookup makes further lookups fail at once. */
  failureCacheMs: number;
}

/** Patchbay's catalog served as an MCP Registry at `/v0.1` (issue 15 §4; README "Patchbay as an MCP registry"). */
export interface RegistryApiConfig {
  /** The namespace of config and admin connectors' served names: `<namespace>/<connector_id>`. */
  namespace: string;
}

export interface PatchbayConfig {
  server: {
    host: string;
    port: number;
    apiKeys: ApiKeyConfig[];
    /** Request body limit in bytes (default 10 MiB → 413 beyond). */
    maxBodyBytes: number;
    mcp: {
      allowServerUrl: boolean;
      egress: EgressConfig;
      /** Per MCP request to a user-supplied `server_url` (connectors have their own `timeout_ms`). */
      timeoutMs: number;
      limits: McpLimitsConfig;
    };
    inference: { limits: InferenceLimitsConfig };
    registries: RegistriesConfig;
    registryApi: RegistryApiConfig;
    /**
     * A background response's replica renews its lease every 250 ms; a lease not renewed for
     * `leaseMs` (the replica died) lets another replica fail the response (issue 13 §4).
     */
    background: { leaseMs: number };
  };
  /** Backend that stores responses, connectors, registries and the mirror (`sql_default` unless the agents provider names another). */
  storage: {
    backend: StorageBackendConfig;
    backends: StorageBackendConfig[];
    /** Days a stored response is kept; null keeps them until deleted (the default). */
    retentionDays: number | null;
  };
  inference: InferenceProviderConfig[];
  connectors: ConnectorConfig[];
  registries: RegistryConfig[];
  /** Top-level keys and providers accepted for Llama Stack compatibility but unused (one warning). */
  ignored: string[];
}
