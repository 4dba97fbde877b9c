/**
 * Every registry Patchbay mirrors, by id (PRODUCT.md §5, §6): resolution looks a registry id up
 * here, and the admin API (`/v1/admin/mcp_registries`) adds, replaces and removes registries at
 * runtime without a restart.
 */
import type { Logger } from "pino";
import type { RegistryConfig } from "../config/patchbay-config.js";
import type { ClusterLocks } from "../store/cluster-locks.js";
import type { RegistryMirror } from "../store/registry-mirror.js";
import { RegistrySync, type SyncTimers } from "./registry-sync.js";
import type { RegistryClient } from "./registry-types.js";

export interface RegistrySyncsOptions extends Partial<SyncTimers> {
  registries: readonly RegistryConfig[];
  /** Builds the API client of one registry (production: `HttpRegistryClient`). */
  createClient: (registry: RegistryConfig) => RegistryClient;
  mirror: RegistryMirror;
  logger: Logger;
  now?: () => Date;
  /** How long a registry outage seen by a live lookup is remembered (see `RegistrySync`). */
  failureCacheMs?: number;
  /** Shared by every registry's sync: one crawl per registry at a time in the cluster. */
  locks?: ClusterLocks;
}

/** Holds one `RegistrySync` per registry; registries added after `startAll()` start at once. */
export class RegistrySyncs {
  readonly #options: RegistrySyncsOptions;
  readonly #syncs = new Map<string, RegistrySync>();
  #started = false;

  constructor(options: RegistrySyncsOptions) {
    this.#options = options;
    for (const registry of options.registries) this.add(registry);
  }

  get(registryId: string): RegistrySync | undefined {
    return this.#syncs.get(registryId);
  }

  /** In insertion order: config registries first, then those added at runtime. */
  list(): RegistrySync[] {
    return [...this.#syncs.values()];
  }

  /** Throws when the id is taken: ids are unique across config and API registries. */
  add(registry: RegistryConfig): RegistrySync {
    if (this.#syncs.has(registry.id)) {
      throw new Error(`Registry ${registry.id} is already configured`);
    }
    const sync = this.#create(registry);
    this.#syncs.set(registry.id, sync);
    if (this.#started) sync.start();
    return sync;
  }

  /**
   * Swaps in a changed registry (PATCH). Its mirror stays and keeps serving; a changed URL or
   * name filter makes the next pass a full crawl that drops what no longer belongs.
   */
  async replace(registry: RegistryConfig): Promise<RegistrySync> {
    await this.#syncs.get(registry.id)?.stop();
    this.#syncs.delete(registry.id);
    return this.add(registry);
  }

  /** Stops the registry's sync and drops its mirror and status; false when the id is unknown. */
  async remove(registryId: string): Promise<boolean> {
    const sync = this.#syncs.get(registryId);
    if (sync === undefined) return false;
    this.#syncs.delete(registryId);
    await sync.stop();
    await this.#options.mirror.deleteRegistry(registryId);
    return true;
  }

  /** Starts every loop; each first pass runs in the background. */
  startAll(): void {
    this.#started = true;
    for (const sync of this.#syncs.values()) sync.start();
  }

  async stopAll(): Promise<void> {
    this.#started = false;
    await Promise.all([...this.#syncs.values()].map((sync) => sync.stop()));
  }

  #create(registry: RegistryConfig): RegistrySync {
    const { createClient, mirror, logger, now, setTimer, clearTimer, failureCacheMs, locks } =
      this.#options;
    return new RegistrySync({
      registry,
      client: createClient(registry),
      mirror,
      logger,
      ...(now === undefined ? {} : { now }),
      ...(setTimer === undefined ? {} : { setTimer }),
      ...(clearTimer === undefined ? {} : { clearTimer }),
      ...(failureCacheMs === undefined ? {} : { failureCacheMs }),
      ...(locks === undefined ? {} : { locks }),
    });
  }
}
