/**
 * Every store on one PostgreSQL pool (issue 13 §1): connected and migrated once at startup, shared
 * by the stores, ended once. Any number of replicas may open the same database.
 */
import type { Logger } from "pino";
import type { PostgresBackendConfig } from "../../config/patchbay-config.js";
import type { Stores } from "../stores.js";
import { PostgresBackgroundRunStore } from "./postgres-background-run-store.js";
import { PostgresConversationStore } from "./postgres-conversation-store.js";
import {
  describeBackend,
  openPostgresDatabase,
  toDedicatedConnectionConfig,
} from "./open-postgres-database.js";
import { PostgresChangeFeed, changeChannel } from "./postgres-change-feed.js";
import { PostgresClusterLocks } from "./postgres-cluster-locks.js";
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
  const target = {
    config: toDedicatedConnectionConfig(backend),
    description: describeBackend(backend),
  };
  const changes = new PostgresChangeFeed({
    target,
    database,
    schema: backend.schema,
    logger: options.logger,
  });
  await changes.start();
  const channel = changeChannel(backend.schema);
  return {
    responses: new PostgresResponseStore(database),
    backgroundRuns: new PostgresBackgroundRunStore(database),
    conversations: new PostgresConversationStore(database),
    managedConnectors: createPostgresManagedConnectorStore(database, channel),
    managedRegistries: createPostgresManagedRegistryStore(database, channel),
    mirror: new PostgresRegistryMirror(database),
    changes,
    locks: new PostgresClusterLocks(target, backend.schema),
    ping: () => database.ping(),
    close: async () => {
      await changes.close();
      await database.close();
    },
  };
}
