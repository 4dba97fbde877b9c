import * as z from "zod";
import { isCidr } from "../lib/cidr.js";
import { REGISTRY_NAMESPACE_PATTERN } from "../connectors/connector-ids.js";
import { ConnectorEntrySchema } from "../connectors/connector-schema.js";
import { AgentsProviderSchema } from "./agents-config-schema.js";
import {
  BooleanFromEnvSchema,
  expected,
  HttpUrlSchema,
  NonEmptyStringSchema,
  OptionalTextSchema,
  integerFromEnv,
} from "./config-field-schemas.js";
import { PostgresBackendSchema } from "./postgres-backend-schema.js";

/*
 * The parts of a Llama Stack `run.yaml` that Patchbay uses, after env substitution. Strict
 * objects: an unknown key inside them is a startup error (STYLE.md "Validation", PRODUCT.md §8.2).
 * Keys stay in their file spelling (snake_case); `resolveConfig` folds them into `PatchbayConfig`.
 */

/** An IPv4 or IPv6 network in CIDR form (`10.0.0.0/8`, `fd00::/8`) or a single address. */
const CidrSchema = z
  .string()
  .refine(isCidr, { error: expected("expected a CIDR such as 10.0.0.0/8 or an IP address") });

/**
 * A limit on bytes read from a peer: at least 1 KiB (less would refuse every real answer), at most
 * 256 MiB (V8 cannot hold much more as one string, which is what the limits protect against).
 */
const ByteLimitSchema = integerFromEnv(1024, 256 * 1024 * 1024);

/** `server`: Patchbay-specific beyond Llama Stack's `port` (PRODUCT.md §2, §7, §8.3). */
export const ServerSchema = z.strictObject({
  host: NonEmptyStringSchema.optional(),
  port: integerFromEnv(0, 65_535).optional(),
  auth: z
    .strictObject({
      api_keys: z
        .array(
          z
            .strictObject({
              key: NonEmptyStringSchema,
              role: z.enum(["admin", "user"], { error: expected("expected 'admin' or 'user'") }),
              name: OptionalTextSchema,
              // PRODUCT.md §9.3: a fixed end user, or the right to name one per request.
              user: OptionalTextSchema,
              may_act_for_users: BooleanFromEnvSchema.optional(),
            })
            .refine((entry) => !(entry.user !== null && entry.may_act_for_users === true), {
              error: "a key with a fixed 'user' cannot also have 'may_act_for_users'",
              path: ["may_act_for_users"],
            }),
        )
        .default([]),
    })
    .optional(),
  max_body_bytes: integerFromEnv(1).optional(),
  mcp: z
    .strictObject({
      allow_server_url: BooleanFromEnvSchema.optional(),
      egress: z
        .strictObject({
          deny_cidrs: z.array(CidrSchema).default([]),
          allow_cidrs: z.array(CidrSchema).default([]),
          block_private: BooleanFromEnvSchema.optional(),
        })
        .optional(),
      timeout_ms: integerFromEnv(1).optional(),
      max_message_bytes: ByteLimitSchema.optional(),
      max_tool_result_bytes: ByteLimitSchema.optional(),
      max_tools_list_bytes: ByteLimitSchema.optional(),
    })
    .optional(),
  inference: z
    .strictObject({
      max_response_bytes: ByteLimitSchema.optional(),
      max_event_bytes: ByteLimitSchema.optional(),
    })
    .optional(),
  registries: z
    .strictObject({
      max_body_bytes: ByteLimitSchema.optional(),
      failure_cache_ms: integerFromEnv(0).optional(),
    })
    .optional(),
  registry_api: z
    .strictObject({
      namespace: z
        .string()
        .regex(REGISTRY_NAMESPACE_PATTERN, {
          error: `must match ${REGISTRY_NAMESPACE_PATTERN.source} (the registry's namespace rule, at most 60 characters)`,
        })
        .optional(),
    })
    .optional(),
  // Background runs (issue 13 §4): 1 s to 1 h; the lease is renewed every 250 ms.
  background: z.strictObject({ lease_ms: integerFromEnv(1000, 3_600_000).optional() }).optional(),
});

const SqliteBackendSchema = z.strictObject({
  type: z.enum(["kv_sqlite", "sql_sqlite"]),
  db_path: NonEmptyStringSchema,
});

/** A `storage.backends.<name>` entry: Llama Stack's SQLite and PostgreSQL types (PRODUCT.md §2). */
export const StorageBackendSchema = z.discriminatedUnion(
  "type",
  [SqliteBackendSchema, PostgresBackendSchema],
  {
    error: expected(
      "unsupported backend type (expected kv_sqlite, sql_sqlite, kv_postgres or sql_postgres)",
    ),
  },
);
export type StorageBackend = z.infer<typeof StorageBackendSchema>;

/**
 * `storage.stores` (Llama Stack's metadata/inference/conversations/prompts stores) is not used by
 * Patchbay: each store is accepted loosely and only its `backend` reference is checked.
 */
export const StorageSchema = z.strictObject({
  backends: z.record(NonEmptyStringSchema, StorageBackendSchema).default({}),
  /** Stored responses older than this are deleted in the background (issue 13 §5); null: kept. */
  retention_days: integerFromEnv(1, 36_500).nullable().optional(),
  stores: z
    .record(z.string(), z.looseObject({ backend: NonEmptyStringSchema.optional() }))
    .optional(),
});

/** Inference provider types that speak OpenAI Chat Completions; others are skipped (PRODUCT.md §2). */
export const SERVED_INFERENCE_PROVIDER_TYPES = [
  "remote::openai",
  "remote::vllm",
  "remote::ollama",
  "remote::openai-compatible",
] as const;

/** Llama Stack inference config keys Patchbay accepts but does not act on (reported in `ignored`). */
export const IGNORED_INFERENCE_CONFIG_KEYS = [
  "max_tokens",
  "tls_verify",
  "refresh_models",
  "allowed_models",
  "network",
] as const;

const OPENAI_BASE_URL = "https://api.openai.com/v1";

/**
 * A served inference provider. `base_url`/`url` and `api_key`/`api_token` (Llama Stack's vllm
 * spelling) are folded here; only `remote::openai` may omit the URL (Llama Stack's default).
 */
export const InferenceProviderSchema = z
  .strictObject({
    provider_id: NonEmptyStringSchema,
    provider_type: z.enum(SERVED_INFERENCE_PROVIDER_TYPES, {
      error: expected(`expected one of ${SERVED_INFERENCE_PROVIDER_TYPES.join(", ")}`),
    }),
    config: z
      .strictObject({
        base_url: HttpUrlSchema.optional(),
        url: HttpUrlSchema.optional(),
        api_key: z.string().optional(),
        api_token: z.string().optional(),
        timeout_ms: integerFromEnv(1).optional(),
        max_tokens: z.unknown().optional(),
        tls_verify: z.unknown().optional(),
        refresh_models: z.unknown().optional(),
        allowed_models: z.unknown().optional(),
        network: z.unknown().optional(),
      })
      .prefault({}),
  })
  .transform((entry, context) => {
    const { base_url: baseUrl, url, api_key: apiKey, api_token: apiToken } = entry.config;
    if (baseUrl !== undefined && url !== undefined && baseUrl !== url) {
      context.addIssue({
        code: "custom",
        path: ["config", "url"],
        message: "give base_url or url, not both",
      });
    }
    if (apiKey !== undefined && apiToken !== undefined && apiKey !== apiToken) {
      context.addIssue({
        code: "custom",
        path: ["config", "api_token"],
        message: "give api_key or api_token, not both",
      });
    }
    const resolvedUrl =
      baseUrl ?? url ?? (entry.provider_type === "remote::openai" ? OPENAI_BASE_URL : undefined);
    if (resolvedUrl === undefined) {
      context.addIssue({
        code: "custom",
        path: ["config", "base_url"],
        message: "is required (or its alias url)",
      });
      return z.NEVER;
    }
    const key = (apiKey ?? apiToken ?? "").trim();
    return {
      provider_id: entry.provider_id,
      provider_type: entry.provider_type,
      base_url: resolvedUrl,
      api_key: key === "" ? null : key,
      timeout_ms: entry.config.timeout_ms ?? null,
    };
  });
export type InferenceProviderEntry = z.infer<typeof InferenceProviderSchema>;

/**
 * The used top level, once `loadConfig` has set aside the Llama Stack keys Patchbay does not
 * serve and refused any other (PRODUCT.md §8.2). Loose in `providers` because a Llama Stack file
 * has providers of other APIs; `loadConfig` lists those in `ignored`. `providers.inference`
 * entries are validated one by one by `loadConfig` (entries of other provider types, or disabled
 * by an empty `provider_id`, are skipped, not errors). `connectors` is OGX's top-level list, the
 * same entries as `providers.agents[].config.connectors`.
 */
export const RunConfigSchema = z.strictObject({
  server: ServerSchema.prefault({}),
  storage: StorageSchema.prefault({}),
  connectors: z.array(ConnectorEntrySchema).default([]),
  providers: z
    .looseObject({
      inference: z.array(z.unknown()).default([]),
      agents: z.array(AgentsProviderSchema).default([]),
    })
    .prefault({}),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;
