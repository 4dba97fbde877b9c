import { pino } from "pino";
import { describe } from "vitest";
import {
  describeManagedStoreContract,
  type ManagedStoreFactory,
} from "../../../test/contract/managed-store-contract.js";
import { connectorSamples, registrySamples } from "../../../test/contract/sample-managed-values.js";
import { postgresTestDatabase } from "../../../test/support/postgres.js";
import type { ManagedStore } from "../managed-store.js";
import { openPostgresDatabase } from "./open-postgres-database.js";
import { changeChannel } from "./postgres-change-feed.js";
import type { PostgresDatabase } from "./postgres-database.js";
import {
  createPostgresManagedConnectorStore,
  createPostgresManagedRegistryStore,
} from "./postgres-managed-store.js";

const postgres = postgresTestDatabase();
const logger = pino({ level: "silent" });

/** `location` is the schema; `create` builds the store under test on an open database. */
function schemaFactory<T>(
  create: (database: PostgresDatabase, channel: string) => ManagedStore<T>,
): ManagedStoreFactory<T> {
  return async (location) => {
    const backend = postgres.backend(location === undefined ? {} : { schema: location });
    const database = await openPostgresDatabase(backend, { logger });
    const close = () => database.close();
    return {
      store: create(database, changeChannel(backend.schema)),
      location: backend.schema,
      close,
      cleanup: close,
    };
  };
}

describe.skipIf(postgres.skipReason !== null)("PostgreSQL", () => {
  describeManagedStoreContract(
    "PostgresManagedStore of connectors",
    schemaFactory(createPostgresManagedConnectorStore),
    connectorSamples,
  );
  describeManagedStoreContract(
    "PostgresManagedStore of registries",
    schemaFactory(createPostgresManagedRegistryStore),
    registrySamples,
  );
});
