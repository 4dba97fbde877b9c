/**
 * MCP registries added, changed and removed at runtime (PRODUCT.md §6, §8.10; issue 6): validated
 * like the config file (`RegistryEntrySchema`), ids unique across config and API, config
 * registries read-only. A created registry starts syncing at once; a changed one is swapped in (a
 * changed URL or filter forces a full crawl); a removed one drops its mirror and its ids.
 */
import { RegistryEntrySchema, toRegistryEntry, type RegistryConfig } from "./registry-schema.js";
import {
  createManaged,
  deleteManaged,
  patchManaged,
  redactHeaders,
  type ManagedKindSpec,
  type WithRevision,
} from "../store/managed-write.js";
import { notFound } from "../errors/not-found-error.js";
import { RegistryError } from "../errors/registry-error.js";
import { RegistrySyncError } from "../errors/registry-sync-error.js";
import type { ExpectedRevision, ManagedRegistryStore, Stored } from "../store/managed-store.js";
import type { RegistryMirror } from "../store/registry-mirror.js";
import type { SyncResult } from "./registry-sync.js";
import type { RegistrySyncs } from "./registry-syncs.js";
import { compareStrings } from "../lib/compare-strings.js";
import { withoutCredentials } from "../lib/without-credentials.js";

export interface AdminRegistry {
  id: string;
  object: "mcp_registry";
  source: "config" | "api";
  name: string | null;
  url: string;
  headers: Record<string, "<redacted>">;
  sync_interval_s: number;
  include: string[];
  exclude: string[];
  created_at: string | null;
  updated_at: string | null;
  status: RegistryStatus;
}

export interface RegistryStatus {
  last_success_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
  servers: number;
  versions: number;
  skipped: number;
}

export class RegistryAdmin {
  readonly #config: ReadonlyMap<string, RegistryConfig>;

  constructor(
    config: readonly RegistryConfig[],
    private readonly store: ManagedRegistryStore,
    private readonly syncs: RegistrySyncs,
    private readonly mirror: RegistryMirror,
  ) {
    this.#config = new Map(config.map((registry) => [registry.id, registry]));
  }

  /** Registers the stored registries with the sync manager at startup. */
  async loadStored(): Promise<void> {
    for (const stored of await this.store.list()) {
      if (!this.#config.has(stored.value.id) && !this.syncs.get(stored.value.id))
        this.syncs.add(stored.value);
    }
  }

  /**
   * Brings this replica's sync of `id` in line with the store after a change announced by any
   * replica (ADR 0029): starts a registry created elsewhere, swaps in a changed one, stops a
   * deleted one. Idempotent: the replica that wrote has already done it, and a change may be
   * announced twice. The caller runs it once at a time per id.
   */
  async applyChange(id: string): Promise<void> {
    if (this.#config.has(id)) return;
    const stored = await this.store.get(id);
    const running = this.syncs.get(id);
    if (stored === null) {
      if (running !== undefined) await this.syncs.remove(id);
      return;
    }
    if (running === undefined) this.syncs.add(stored.value);
    else if (canonicalJson(running.registry) !== canonicalJson(stored.value))
      await this.syncs.replace(stored.value);
  }

  async list(): Promise<AdminRegistry[]> {
    const stored = new Map((await this.store.list()).map((entry) => [entry.value.id, entry]));
    const all = [
      ...this.#config.values(),
      ...[...stored.values()]
        .map((entry) => entry.value)
        .filter((registry) => !this.#config.has(registry.id)),
    ];
    const described = await Promise.all(
      all.map((registry) => this.#describe(registry, stored.get(registry.id) ?? null)),
    );
    return described.sort((left, right) => compareStrings(left.id, right.id));
  }

  async get(id: string): Promise<WithRevision<AdminRegistry>> {
    const fromConfig = this.#config.get(id);
    if (fromConfig) return { body: await this.#describe(fromConfig, null), revision: "config" };
    const stored = await this.store.get(id);
    if (!stored) throw notFound("MCP registry", id, "registry_id");
    return { body: await this.#describe(stored.value, stored), revision: stored.revision };
  }

  async status(id: string): Promise<RegistryStatus> {
    if (!this.#config.has(id) && !(await this.store.get(id)))
      throw notFound("MCP registry", id, "registry_id");
    return this.#status(id);
  }

  /**
   * Runs a sync pass now (or joins the one in flight). Throws `NotFoundError` for an unknown id and
   * `RegistrySyncError` when the registry fails the pass (also recorded in its status).
   */
  async sync(id: string, signal: AbortSignal): Promise<SyncResult> {
    const sync = this.syncs.get(id);
    if (!sync) throw notFound("MCP registry", id, "registry_id");
    try {
      return await sync.syncNow(signal);
    } catch (error) {
      if (error instanceof RegistryError) throw new RegistrySyncError(id, error);
      throw error;
    }
  }

  /** `registry` was validated and resolved by `RegistryEntrySchema` at the door (the route's body schema). */
  async create(registry: RegistryConfig): Promise<WithRevision<AdminRegistry>> {
    const stored = await createManaged(this.#spec, this.store, registry, "id");
    if (!this.syncs.get(registry.id)) this.syncs.add(registry);
    return { body: await this.#describe(stored.value, stored), revision: stored.revision };
  }

  async update(
    id: string,
    patch: unknown,
    expected: ExpectedRevision,
  ): Promise<WithRevision<AdminRegistry>> {
    const stored = await patchManaged(this.#spec, this.store, id, patch, expected);
    await this.syncs.replace(stored.value);
    return { body: await this.#describe(stored.value, stored), revision: stored.revision };
  }

  async delete(
    id: string,
    expected: ExpectedRevision,
  ): Promise<{ id: string; object: "mcp_registry.deleted"; deleted: true }> {
    await deleteManaged(this.#spec, this.store, id, expected);
    if (!(await this.syncs.remove(id))) await this.mirror.deleteRegistry(id);
    return { id, object: "mcp_registry.deleted", deleted: true };
  }

  get #spec(): ManagedKindSpec<RegistryConfig> {
    return {
      kind: "MCP registry",
      idParam: "registry_id",
      isConfig: (id) => this.#config.has(id),
      toEntry: toRegistryEntry,
      parse: (entry) => RegistryEntrySchema.parse(entry),
      idOf: (registry) => registry.id,
    };
  }

  async #describe(
    registry: RegistryConfig,
    stored: Stored<RegistryConfig> | null,
  ): Promise<AdminRegistry> {
    return {
      id: registry.id,
      object: "mcp_registry",
      source: stored ? "api" : "config",
      name: registry.name,
      // As for connectors: a URL from run.yaml is shown without user info, query or fragment.
      url: stored ? registry.url : withoutCredentials(registry.url),
      headers: redactHeaders(registry.headers),
      sync_interval_s: registry.syncIntervalS,
      include: registry.include,
      exclude: registry.exclude,
      created_at: stored?.createdAt ?? null,
      updated_at: stored?.updatedAt ?? null,
      status: await this.#status(registry.id),
    };
  }

  async #status(registryId: string): Promise<RegistryStatus> {
    const state = await this.mirror.getSyncState(registryId);
    const counts = await this.mirror.counts(registryId);
    return {
      last_success_at: state?.lastSuccessAt ?? null,
      last_attempt_at: state?.lastAttemptAt ?? null,
      last_error: state?.lastError ?? null,
      servers: counts.servers,
      versions: counts.versions,
      skipped: state?.skipped ?? 0,
    };
  }
}

/** JSON with object keys sorted, so two equal configs compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    field !== null && typeof field === "object" && !Array.isArray(field)
      ? Object.fromEntries(
          Object.entries(field).sort(([left], [right]) => compareStrings(left, right)),
        )
      : field,
  );
}
