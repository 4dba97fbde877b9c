import * as z from "zod";
import {
  BooleanFromEnvSchema,
  HeadersSchema,
  expected,
  HttpUrlSchema,
  NonEmptyStringSchema,
  OptionalTextSchema,
  integerFromEnv,
} from "./config-field-schemas.js";
import type { RequireApprovalConfig, ToolFilterConfig } from "./patchbay-config.js";

/*
 * `providers.agents[].config`: the seed's `persistence`, `connectors` and `mcp_registries`.
 * Strict: an unknown key is a startup error (PRODUCT.md §2, §8.2).
 */

const ToolFilterSchema = z
  .strictObject({
    tool_names: z.array(z.string()).optional(),
    read_only: BooleanFromEnvSchema.optional(),
  })
  .transform((filter): ToolFilterConfig => {
    const result: ToolFilterConfig = {};
    if (filter.tool_names !== undefined) result.tool_names = filter.tool_names;
    if (filter.read_only !== undefined) result.read_only = filter.read_only;
    return result;
  });

const AllowedToolsSchema = z.union([z.array(z.string()), ToolFilterSchema], {
  error: expected("expected a list of tool names or {tool_names, read_only}"),
});

const RequireApprovalSchema = z.union(
  [
    z.enum(["always", "never"]),
    z
      .strictObject({ always: ToolFilterSchema.optional(), never: ToolFilterSchema.optional() })
      .transform((filters): RequireApprovalConfig => {
        const result: { always?: ToolFilterConfig; never?: ToolFilterConfig } = {};
        if (filters.always !== undefined) result.always = filters.always;
        if (filters.never !== undefined) result.never = filters.never;
        return result;
      }),
  ],
  { error: expected("expected 'always', 'never' or {always, never}") },
);

/** Registry servers are addressed as `mcp::<registry_id>::<server_name>` (seed); config ids may not take that form. */
export const RESERVED_CONNECTOR_ID_PREFIX = "mcp::";

/**
 * One `connectors[]` entry (PRODUCT.md §2, §8.2), under the agents provider or at OGX's top level.
 * Output carries `connector_id` whichever spelling the file used; the admin API may reuse it for
 * managed connectors so both accept the same fields. OGX's `connector_type` is accepted when it
 * is `mcp`, the only type there is, and not kept.
 */
export const ConnectorEntrySchema = z
  .strictObject({
    connector_type: z.literal("mcp", { error: expected("expected 'mcp'") }).optional(),
    connector_id: NonEmptyStringSchema.optional(),
    /** Alias of `connector_id` (the seed's second example). */
    name: NonEmptyStringSchema.optional(),
    url: HttpUrlSchema,
    server_label: OptionalTextSchema,
    description: OptionalTextSchema,
    transport: z
      .enum(["streamable-http", "sse", "auto"], {
        error: expected("expected 'streamable-http', 'sse' or 'auto'"),
      })
      .default("auto"),
    headers: HeadersSchema,
    allowed_tools: AllowedToolsSchema.optional(),
    require_approval: RequireApprovalSchema.optional(),
    timeout_ms: integerFromEnv(1).optional(),
  })
  .transform(({ connector_type: _type, connector_id: connectorId, name, ...rest }, context) => {
    if (connectorId !== undefined && name !== undefined && connectorId !== name) {
      context.addIssue({
        code: "custom",
        path: ["name"],
        message: "give connector_id or its alias name, not both",
      });
    }
    const id = connectorId ?? name;
    if (id === undefined) {
      context.addIssue({
        code: "custom",
        path: ["connector_id"],
        message: "is required (or its alias name)",
      });
      return z.NEVER;
    }
    if (id.startsWith(RESERVED_CONNECTOR_ID_PREFIX)) {
      const message = `'${id}' is reserved for registry servers (${RESERVED_CONNECTOR_ID_PREFIX}<registry_id>::<server_name>)`;
      context.addIssue({
        code: "custom",
        path: [connectorId === undefined ? "name" : "connector_id"],
        message,
      });
    }
    return { connector_id: id, ...rest };
  });
export type ConnectorEntry = z.infer<typeof ConnectorEntrySchema>;

/** Registry ids appear in connector ids (`mcp::<id>::<server>`) and URLs, hence the narrow alphabet (PRODUCT.md §2). */
export const REGISTRY_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** One `mcp_registries[]` entry (PRODUCT.md §2, §5); the URL is normalised later by `resolveConfig`. */
export const RegistryEntrySchema = z.strictObject({
  id: z.string().regex(REGISTRY_ID_PATTERN, `must match ${REGISTRY_ID_PATTERN.source}`),
  name: OptionalTextSchema,
  url: HttpUrlSchema,
  headers: HeadersSchema,
  sync_interval_s: integerFromEnv(1).default(3600),
  include: z.array(z.string()).default([]),
  exclude: z.array(z.string()).default([]),
});
export type RegistryEntry = z.infer<typeof RegistryEntrySchema>;

/** The seed's `persistence` block; only the `backend` names matter to Patchbay. */
const PersistenceSchema = z.strictObject({
  agent_state: z
    .strictObject({ namespace: z.string().optional(), backend: NonEmptyStringSchema })
    .optional(),
  responses: z
    .strictObject({
      table_name: z.string().optional(),
      backend: NonEmptyStringSchema,
      max_write_queue_size: integerFromEnv(1).optional(),
      num_writers: integerFromEnv(1).optional(),
    })
    .optional(),
});

/** A `providers.agents[]` entry; its `config` holds everything connector-related (seed examples). */
export const AgentsProviderSchema = z.strictObject({
  provider_id: z.string(),
  provider_type: z.string(),
  config: z
    .strictObject({
      persistence: PersistenceSchema.optional(),
      connectors: z.array(ConnectorEntrySchema).default([]),
      mcp_registries: z.array(RegistryEntrySchema).default([]),
    })
    .prefault({}),
});
export type AgentsProviderEntry = z.infer<typeof AgentsProviderSchema>;
