/**
 * Schemas of the values the managed stores keep (PRODUCT.md §6, §8.10), used to check every row
 * read back from a database and every value before it is written. These are our own rows, already
 * resolved by the config/admin validation, so the schemas are strict and accept exactly the
 * resolved `ConnectorConfig` / `RegistryConfig` shapes: no aliases, no defaults, no coercion. A row
 * that fails them is corruption or a drift between code and data, never user input.
 */
import * as z from "zod";
import type {
  AllowedToolsConfig,
  ConnectorConfig,
  RegistryConfig,
  RequireApprovalConfig,
  ToolFilterConfig,
} from "../config/patchbay-config.js";

const ToolFilterConfigSchema = z.strictObject({
  tool_names: z.array(z.string()).exactOptional(),
  read_only: z.boolean().exactOptional(),
});

const AllowedToolsConfigSchema = z.union([z.array(z.string()), ToolFilterConfigSchema]);

const RequireApprovalConfigSchema = z.union([
  z.literal(["always", "never"]),
  z.strictObject({
    always: ToolFilterConfigSchema.exactOptional(),
    never: ToolFilterConfigSchema.exactOptional(),
  }),
]);

const HeadersConfigSchema = z.record(z.string(), z.string());

/** A connector as `ConnectorConfig` describes it; `timeoutMs` ≥ 1 as the config file demands. */
export const ConnectorConfigSchema = z.strictObject({
  connectorId: z.string().min(1),
  url: z.string().min(1),
  serverLabel: z.string().nullable(),
  description: z.string().nullable(),
  transport: z.literal(["streamable-http", "sse", "auto"]),
  headers: HeadersConfigSchema,
  allowedTools: AllowedToolsConfigSchema.nullable(),
  requireApproval: RequireApprovalConfigSchema.nullable(),
  timeoutMs: z.int().min(1).nullable(),
});

/** A registry as `RegistryConfig` describes it; `syncIntervalS` ≥ 1 as the config file demands. */
export const RegistryConfigSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().nullable(),
  url: z.string().min(1),
  headers: HeadersConfigSchema,
  syncIntervalS: z.int().min(1),
  include: z.array(z.string()),
  exclude: z.array(z.string()),
});

/*
 * Compile-time proof that each schema's output and its interface accept the same values (both
 * directions), so a field added to patchbay-config.ts without its schema breaks the build.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<Condition extends true> = Condition;
type _ToolFilterMatches = Assert<Same<z.output<typeof ToolFilterConfigSchema>, ToolFilterConfig>>;
type _AllowedToolsMatches = Assert<
  Same<z.output<typeof AllowedToolsConfigSchema>, AllowedToolsConfig>
>;
type _RequireApprovalMatches = Assert<
  Same<z.output<typeof RequireApprovalConfigSchema>, RequireApprovalConfig>
>;
type _ConnectorMatches = Assert<Same<z.output<typeof ConnectorConfigSchema>, ConnectorConfig>>;
type _RegistryMatches = Assert<Same<z.output<typeof RegistryConfigSchema>, RegistryConfig>>;
