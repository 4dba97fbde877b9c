/**
 * What a replica does when a managed connector or registry changed anywhere in the cluster
 * (issue 13 §2, ADR 0029). Connectors are read from the store on every request, so the next
 * response already uses the new definition; what is dropped here is what this replica derived
 * from the old one: pooled MCP sessions and cached tool listings of the URLs it resolved to. A
 * registry's sync loop is started, swapped or stopped to match the store, and the sessions of its
 * servers dropped likewise. Changes to one object are applied one at a time, in order.
 */
import type { Logger } from "pino";
import type { McpClient } from "../mcp/mcp-client.js";
import type { RegistryAdmin } from "../registries/registry-admin.js";
import type { ChangeFeed, ManagedChange } from "../store/change-feed.js";
import type { CompositeConnectorCatalog } from "./connector-catalog.js";

export interface ManagedChangeTargets {
  changes: ChangeFeed;
  catalog: CompositeConnectorCatalog;
  mcp: McpClient;
  registries: RegistryAdmin;
  logger: Logger;
}

export interface ManagedChangeApplier {
  /** Resolves once every change heard so far has been applied. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export function applyManagedChanges(targets: ManagedChangeTargets): ManagedChangeApplier {
  const queues = new Map<string, Promise<void>>();
  const apply = async (change: ManagedChange): Promise<void> => {
    if (change.kind === "registry") await targets.registries.applyChange(change.id);
    const urls = targets.catalog.forget(change);
    if (urls.length === 0) return;
    await Promise.all(urls.map((url) => targets.mcp.forgetServer(url)));
    targets.logger.info(
      { kind: change.kind, id: change.id, servers: urls.length },
      "dropped the MCP sessions and tool listings of a changed object",
    );
  };
  const unsubscribe = targets.changes.subscribe((change) => {
    const key = `${change.kind} ${change.id}`;
    const queued = (queues.get(key) ?? Promise.resolve())
      .then(() => apply(change))
      .catch((error: unknown) =>
        targets.logger.warn({ err: error, change }, "could not apply a managed object's change"),
      );
    queues.set(key, queued);
    void queued.then(() => {
      if (queues.get(key) === queued) queues.delete(key);
    });
  });
  const settled = async (): Promise<void> => {
    await Promise.all(queues.values());
  };
  return {
    settled,
    async stop() {
      unsubscribe();
      await settled();
    },
  };
}
