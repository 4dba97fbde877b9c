/**
 * Opens the stores of the configured backend (issue 12 "Storage wiring"): SQLite, the embedded
 * default, or PostgreSQL for replicas. The only place that chooses an adapter by technology.
 */
import type { Logger } from "pino";
import type { StorageBackendConfig } from "../config/patchbay-config.js";
import { openPostgresStores } from "./postgres/open-postgres-stores.js";
import { openSqliteStores } from "./sqlite/open-sqlite-stores.js";
import type { Stores } from "./stores.js";

export interface OpenStoresOptions {
  logger: Logger;
}

/** Opens and migrates the backend's database; rejects when it cannot be reached or is too new. */
export function openStores(
  backend: StorageBackendConfig,
  options: OpenStoresOptions,
): Promise<Stores> {
  switch (backend.kind) {
    case "sqlite":
      return Promise.resolve(openSqliteStores(backend.dbPath));
    case "postgres":
      return openPostgresStores(backend, options);
  }
}
