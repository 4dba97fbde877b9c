/**
 * Where `connector_id`s resolve and list (PRODUCT.md §4, §5, §8.8): `mcp::<registry_id>::<name>[@v]`
 * from a registry mirror (one live fetch when the mirror lacks the name), any other id from the
 * config file's `connectors:` or from the connectors managed through the API.
 */
import type { ConnectorConfig, McpTransport } from "./connector-schema.js";
import type { RegistrySyncs } from "../registries/registry-syncs.js";
import { selectRemote } from "../registries/select-remote.js";
import type { MirroredServer, RegistryMirror } from "../store/registry-mirror.js";
import type { ManagedConnectorStore } from "../store/managed-store.js";
import {
  connectorListing,
  registryListing,
  type ConnectorListing,
  type ConnectorSource,
} from "./connector-listing.js";
import { compareStrings } from "../lib/compare-strings.js";
import { parseRegistryConnectorId, type RegistryConnectorId } from "./connector-ids.js";

/** A connector ready to connect to: endpoint, headers the admin or registry set, defaults. */
export interface ResolvedConnector {
  connectorId: string;
  source: ConnectorSource;
  url: string;
  transport: McpTransport;
  /** Admin-set (config) or registry-filled headers; the caller's own are merged by the caller. */
  headers: Record<string, string>;
  description: string | null;
  allowedTools: ConnectorConfig["allowedTools"];
  requireApproval: ConnectorConfig["requireApproval"];
  timeoutMs: number | null;
}

export interface ConnectorListQuery {
  source?: ConnectorSource | undefined;
  registryId?: string | undefined;
  search?: string | undefined;
  after?: string | undefined;
  limit: number;
}

export interface ConnectorCatalog {
  /**
   * The connector for an id, or null when no source defines it; `resolveConnector` is the caller
   * that adds where the id came from. `callerHeaders` (the tool's `headers` plus `Authorization`)
   * supply a registry server's secret headers. Throws `RemoteSelectionError` (unusable registry
   * entry) or `RegistryError` (registry unreachable while the mirror lacks the name).
   */
  lookup(
    connectorId: string,
    callerHeaders: Record<string, string>,
    signal: AbortSignal,
  ): Promise<ResolvedConnector | null>;
  list(query: ConnectorListQuery): Promise<{ data: ConnectorListing[]; hasMore: boolean }>;
  get(connectorId: string): Promise<ConnectorListing | null>;
}

export interface CatalogSources {
  config: readonly ConnectorConfig[];
  /** Connectors created through the admin API, read on every request (no restart, §6). */
  managed: ManagedConnectorStore | null;
  registries: RegistrySyncs | null;
  mirror: RegistryMirror | null;
}

/** Connector ids whose last resolved URL is remembered (for `forget`); the oldest go first. */
const MAX_REMEMBERED_URLS = 10_000;

export class CompositeConnectorCatalog implements ConnectorCatalog {
  /** The URL each connector id last resolved to, so a change can drop its sessions (ADR 0029). */
  readonly #resolvedUrls = new Map<string, string>();
  readonly #config: ReadonlyMap<string, ConnectorConfig>;
  /** The config connectors never change, so they are listed once, not on every request. */
  readonly #configListings: readonly ConnectorListing[];

  constructor(private readonly sources: CatalogSources) {
    this.#config = new Map(sources.config.map((connector) => [connector.connectorId, connector]));
    this.#configListings = [...this.#config.values()].map((connector) =>
      connectorListing(connector),
    );
  }

  async lookup(
    connectorId: string,
    callerHeaders: Record<string, string>,
    signal: AbortSignal,
  ): Promise<ResolvedConnector | null> {
    const resolved = await this.#lookup(connectorId, callerHeaders, signal);
    if (resolved !== null) this.#remember(connectorId, resolved.url);
    return resolved;
  }

  /**
   * The URLs that `connectorId` (or, for `mcp::<registry>::` ids, every id of `registryId`)
   * resolved to on this replica, forgotten now: their sessions are the caller's to drop.
   */
  forget(change: { kind: "connector" | "registry"; id: string }): string[] {
    const urls: string[] = [];
    for (const [connectorId, url] of this.#resolvedUrls) {
      const matches =
        change.kind === "connector"
          ? connectorId === change.id
          : parseRegistryConnectorId(connectorId)?.registryId === change.id;
      if (!matches) continue;
      this.#resolvedUrls.delete(connectorId);
      urls.push(url);
    }
    return urls;
  }

  #remember(connectorId: string, url: string): void {
    this.#resolvedUrls.delete(connectorId);
    if (this.#resolvedUrls.size >= MAX_REMEMBERED_URLS) {
      const oldest = this.#resolvedUrls.keys().next();
      if (oldest.done !== true) this.#resolvedUrls.delete(oldest.value);
    }
    this.#resolvedUrls.set(connectorId, url);
  }

  async #lookup(
    connectorId: string,
    callerHeaders: Record<string, string>,
    signal: AbortSignal,
  ): Promise<ResolvedConnector | null> {
    const registry = parseRegistryConnectorId(connectorId);
    if (registry) return this.#resolveRegistry(connectorId, registry, callerHeaders, signal);
    const fromConfig = this.#config.get(connectorId);
    const source: ConnectorSource = fromConfig ? "config" : "api";
    const connector = fromConfig ?? (await this.sources.managed?.get(connectorId))?.value;
    if (!connector) return null;
    return {
      connectorId,
      source,
      url: connector.url,
      transport: connector.transport,
      headers: connector.headers,
      description: connector.description,
      allowedTools: connector.allowedTools,
      requireApproval: connector.requireApproval,
      timeoutMs: connector.timeoutMs,
    };
  }

  async list(query: ConnectorListQuery): Promise<{ data: ConnectorListing[]; hasMore: boolean }> {
    const after = query.after ?? "";
    const search = query.search?.toLowerCase();
    const wanted = (item: ConnectorListing) =>
      item.id > after && (!search || matches(item, search));
    const fromConfig =
      (query.source === undefined || query.source === "config") && query.registryId === undefined
        ? this.#configListings.filter(wanted)
        : [];
    const fromApi =
      (query.source === undefined || query.source === "api") &&
      query.registryId === undefined &&
      this.sources.managed
        ? (await this.sources.managed.list())
            .map((stored) => connectorListing(stored.value, "api", stored.updatedAt))
            .filter(wanted)
        : [];
    const registryPage =
      (query.source === undefined || query.source === "registry") && this.sources.mirror
        ? await this.sources.mirror.list({
            registryId: query.registryId,
            search: query.search,
            after: query.after,
            limit: query.limit + 1,
          })
        : { data: [], hasMore: false };
    const merged = [...fromConfig, ...fromApi, ...registryPage.data.map(registryListing)].sort(
      (left, right) => compareStrings(left.id, right.id),
    );
    return {
      data: merged.slice(0, query.limit),
      hasMore: merged.length > query.limit || registryPage.hasMore,
    };
  }

  async get(connectorId: string): Promise<ConnectorListing | null> {
    const registry = parseRegistryConnectorId(connectorId);
    if (!registry) {
      const connector = this.#config.get(connectorId);
      if (connector) return connectorListing(connector);
      const managed = await this.sources.managed?.get(connectorId);
      return managed ? connectorListing(managed.value, "api", managed.updatedAt) : null;
    }
    const server = await this.#mirrored(registry);
    return server ? registryListing(server) : null;
  }

  async #resolveRegistry(
    connectorId: string,
    registry: RegistryConnectorId,
    callerHeaders: Record<string, string>,
    signal: AbortSignal,
  ): Promise<ResolvedConnector | null> {
    const sync = this.sources.registries?.get(registry.registryId);
    if (!sync) return null;
    const server =
      (await this.#mirrored(registry)) ??
      (await sync.fetchOne(registry.serverName, registry.version ?? "latest", signal));
    if (!server || server.status === "deleted") return null;
    const remote = selectRemote(server, callerHeaders);
    return {
      connectorId,
      source: "registry",
      url: remote.url,
      transport: remote.transport,
      headers: remote.headers,
      description: server.description,
      allowedTools: null,
      requireApproval: null,
      timeoutMs: null,
    };
  }

  #mirrored({
    registryId,
    serverName,
    version,
  }: RegistryConnectorId): Promise<MirroredServer | null> {
    const mirror = this.sources.mirror;
    if (!mirror) return Promise.resolve(null);
    return version === null
      ? mirror.getLatest(registryId, serverName)
      : mirror.getVersion(registryId, serverName, version);
  }
}

function matches(item: ConnectorListing, search: string): boolean {
  return [item.id, item.title, item.description].some((text) =>
    text?.toLowerCase().includes(search),
  );
}
