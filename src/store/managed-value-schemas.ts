/**
 * Schema of the registries the managed store keeps (PRODUCT.md §6, §8.10), used to check every
 * row read back from a database and every value before it is written. These are our own rows,
 * already resolved by the config/admin validation, so the schema is strict and accepts exactly the
 * resolved `RegistryConfig` shape: no aliases, no defaults, no coercion. A row that fails it is
 * corruption or a drift between code and data, never user input. Connectors are checked against
 * the connector model's own `ConnectorConfigSchema`.
 */
import * as z from "zod";
import type { RegistryConfig } from "../config/patchbay-config.js";

/** A registry as `RegistryConfig` describes it; `syncIntervalS` ≥ 1 as the config file demands. */
export const RegistryConfigSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().nullable(),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()),
  syncIntervalS: z.int().min(1),
  include: z.array(z.string()),
  exclude: z.array(z.string()),
});

/*
 * Compile-time proof that the schema's output and `RegistryConfig` accept the same values (both
 * directions), so a field added to patchbay-config.ts without its schema breaks the build.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<Condition extends true> = Condition;
type _RegistryMatches = Assert<Same<z.output<typeof RegistryConfigSchema>, RegistryConfig>>;
