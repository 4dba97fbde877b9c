/**
 * Every store on one PostgreSQL pool (issue 13 §1): connected and migrated once at startup, shared
 * by the stores, ended once. Any number of replicas may open the same database.
 */
import type { Logger } from "pino";
import type { PostgresBackendConfig } from "../../config/patchbay-config.js";
import type { Stores } from "../stores.js";
import { PostgresBackgroundRunStore } from "./postgres-background-run-store.js";
import { PostgresConversationStore } from "./postgres-conversation-store.js";
import { openPostgresDatabase } from "./open-postgres-database.js";
import {
  createPostgresManagedConnectorStore,
  createPostgresManagedRegistryStore,
} from "./postgres-managed-store.js";
import { PostgresRegistryMirror } from "./postgres-registry-mirror.js";
import { PostgresResponseStore } from "./postgres-response-store.js";

export async function openPostgresStores(
  backend: PostgresBackendConfig,
  options: { logger: Logger },
): Promise<Stores> {
  const database = await openPostgresDatabase(backend, options);
  return {
    responses: new PostgresResponseStore(database),
    backgroundRuns: new PostgresBackgroundRunStore(database),
    conversations: new PostgresConversationStore(database),
    managedConnectors: createPostgresManagedConnectorStore(database),
    managedRegistries: createPostgresManagedRegistryStore(database),
    mirror: new PostgresRegistryMirror(database),
    ping: () => database.ping(),
    close: () => database.close(),
  };
}
