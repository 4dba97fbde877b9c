/**
 * What every `ManagedStore` adapter shares (PRODUCT.md §6, §8.10): the tables, the check each
 * kind's rows pass, how a value is checked before it is written, and how `updatedAt` moves.
 */
import type { RegistryConfig } from "../config/patchbay-config.js";
import { ConnectorConfigSchema, type ConnectorConfig } from "../connectors/connector-schema.js";
import { RegistryConfigSchema } from "../registries/registry-schema.js";
import { readStoredJson, type StoredValueCheck } from "./read-stored-json.js";

export const managedTables = ["managed_connectors", "managed_registries"] as const;

/** One table per kind of managed object, in every backend. */
export type ManagedTable = (typeof managedTables)[number];

/** Throws unless `table` is a managed table: adapters splice it into SQL. */
export function assertManagedTable(table: string): asserts table is ManagedTable {
  if (!(managedTables as readonly string[]).includes(table)) {
    throw new TypeError(`Unknown managed table '${table}'`);
  }
}

/** What a change to a row of `table` is announced as (ADR 0029). */
export function managedKindOf(table: ManagedTable): "connector" | "registry" {
  return table === "managed_connectors" ? "connector" : "registry";
}

/** Connectors with `source: "api"`, each row checked by `ConnectorConfigSchema`. */
export const checkConnectorValue: StoredValueCheck<ConnectorConfig> = (json) =>
  ConnectorConfigSchema.parse(json);

/** Registries added through the management API, each row checked by `RegistryConfigSchema`. */
export const checkRegistryValue: StoredValueCheck<RegistryConfig> = (json) =>
  RegistryConfigSchema.parse(json);

/**
 * The JSON to store and the value a later read will return, or `StoredValueError`: a value is
 * checked exactly as a read will check it, so no row is stored that could not be read back.
 */
export function checkManagedValue<T>(
  table: ManagedTable,
  id: string,
  value: T,
  check: StoredValueCheck<T>,
): { body: string; value: T } {
  const checked = readStoredJson(table, id, JSON.stringify(value), check);
  return { body: JSON.stringify(checked), value: checked };
}

/**
 * Now, or 1 ms after `previous` when the clock has not moved past it (several writes within one
 * millisecond, or a clock step back), so each write of an object shows a later `updatedAt`.
 */
export function laterTimestamp(previous: string): string {
  const floor = Date.parse(previous) + 1;
  return new Date(Math.max(Date.now(), Number.isNaN(floor) ? 0 : floor)).toISOString();
}
