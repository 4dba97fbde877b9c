/**
 * Every store port one storage backend provides (PRODUCT.md §2 "Storage", issue 12 "Storage
 * wiring"). The composition root gets them from `openStores` and never names a technology; each
 * backend's adapters pass the same contract suites (`test/contract/`).
 */
import type { BackgroundRunStore } from "./background-run-store.js";
import type { ChangeFeed } from "./change-feed.js";
import type { ClusterLocks } from "./cluster-locks.js";
import type { ConversationStore } from "./conversation-store.js";
import type { ManagedConnectorStore, ManagedRegistryStore } from "./managed-store.js";
import type { RegistryMirror } from "./registry-mirror.js";
import type { ResponseStore } from "./response-store.js";

export interface Stores {
  responses: ResponseStore;
  /** Events, leases and cancel requests of background responses (issue 14 §2). */
  backgroundRuns: BackgroundRunStore;
  conversations: ConversationStore;
  managedConnectors: ManagedConnectorStore;
  managedRegistries: ManagedRegistryStore;
  mirror: RegistryMirror;
  /** Changes to managed objects made by any replica (ADR 0029). */
  changes: ChangeFeed;
  /** Work one replica does at a time: registry crawls, retention sweeps. */
  locks: ClusterLocks;
  /** One cheap round trip to the database (`GET /ready`); rejects while it is unreachable. */
  ping(): Promise<void>;
  /** Closes the database once; idempotent. */
  close(): Promise<void>;
}
