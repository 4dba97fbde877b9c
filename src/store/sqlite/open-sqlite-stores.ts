/**
 * Every store on one embedded SQLite database (PRODUCT.md §2 "Storage", §8.1): one handle, opened
 * and migrated once, shared by the stores and closed once.
 */
import { InProcessChangeFeed, type ManagedChange } from "../change-feed.js";
import { InProcessClusterLocks } from "../cluster-locks.js";
import type { Stores } from "../stores.js";
import { SqliteBackgroundRunStore } from "./sqlite-background-run-store.js";
import { SqliteConversationStore } from "./sqlite-conversation-store.js";
import { openSqliteDatabase } from "./open-sqlite-database.js";
import {
  createSqliteManagedConnectorStore,
  createSqliteManagedRegistryStore,
} from "./sqlite-managed-store.js";
import { SqliteRegistryMirror } from "./sqlite-registry-mirror.js";
import { SqliteResponseStore } from "./sqlite-response-store.js";

/** Throws `SchemaVersionError` for a file written by a newer Patchbay. */
export function openSqliteStores(dbPath: string): Stores {
  const database = openSqliteDatabase(dbPath);
  const responses = new SqliteResponseStore(database);
  const changes = new InProcessChangeFeed();
  const announce = (change: ManagedChange): void => changes.announce(change);
  return {
    responses,
    backgroundRuns: new SqliteBackgroundRunStore(database),
    conversations: new SqliteConversationStore(database),
    managedConnectors: createSqliteManagedConnectorStore(database, announce),
    managedRegistries: createSqliteManagedRegistryStore(database, announce),
    mirror: new SqliteRegistryMirror(database),
    changes,
    locks: new InProcessClusterLocks(),
    ping: () => responses.ping(),
    close: () => responses.close(),
  };
}
