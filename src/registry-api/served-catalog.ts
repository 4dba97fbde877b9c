/**
 * Patchbay's connector catalog as an MCP Registry (issue 15 §4): every connector a caller can use
 * that has a remote, as one registry server each, under unique `namespace/name` names
 * (`served-names.ts`). Config and admin connectors are Patchbay-defined servers whose remote is the
 * connector's URL without credentials, query or fragment; registry connectors carry their upstream
 * metadata as mirrored. Each connector is served at one version, the one the catalog lists (a
 * registry server's latest; `1.0.0` for the others, which have none), so every entry is the latest.
 *
 * The whole catalog is read for each answer (names depend on every source): a few thousand rows
 * from the store, fine for a catalog; the mirror is read in pages of 1,000.
 */
import type { ConnectorCatalog } from "../connectors/connector-catalog.js";
import type { ConnectorListing, ConnectorSource } from "../connectors/connector-listing.js";
import { compareStrings } from "../lib/compare-strings.js";
import type { MirroredServer, RegistryMirror } from "../store/registry-mirror.js";
import { assignServedNames, localServerName } from "./served-names.js";
import type { ServedServer } from "./served-server.js";
import { toServedRemote } from "./to-served-remote.js";

/** The version of a config or admin connector, which has none of its own. */
export const LOCAL_CONNECTOR_VERSION = "1.0.0";

/** The registry's limits on a server's description, title and status message. */
const MAX_DESCRIPTION = 100;
const MAX_STATUS_MESSAGE = 500;
const PAGE = 1000;

export interface ServedCatalogSources {
  /** Lists the config and admin connectors. */
  catalog: ConnectorCatalog;
  mirror: RegistryMirror | null;
  /** The registries whose connectors resolve; a mirror row of any other is not served. */
  registries: { get(registryId: string): unknown } | null;
  /** `server.registry_api.namespace`. */
  namespace: string;
  /** When the config was loaded: the `publishedAt`/`updatedAt` of config connectors. */
  loadedAt: string;
}

export interface ServedListQuery {
  /** Served names after this one (the part of a `name:version` cursor before the `:`). */
  cursor?: string | undefined;
  limit: number;
  /** Case-insensitive substring of the name, as the official registry matches. */
  search?: string | undefined;
  /** Only servers updated strictly after this instant (epoch ms). */
  updatedSince?: number | undefined;
  /** `latest`, or an exact version. */
  version?: string | undefined;
}

export interface ServedPage {
  servers: ServedServer[];
  /** `name:version` of the last server, when more follow. */
  nextCursor: string | null;
}

interface Candidate {
  preferred: string;
  registryId: string | null;
  build: (name: string) => ServedServer;
}

export class ServedCatalog {
  constructor(private readonly sources: ServedCatalogSources) {}

  async list(query: ServedListQuery): Promise<ServedPage> {
    const after = query.cursor?.split(":")[0] ?? "";
    const search = query.search?.toLowerCase() ?? "";
    const matching = (await this.all()).filter(
      (server) =>
        server.name > after &&
        server.name.toLowerCase().includes(search) &&
        (query.updatedSince === undefined ||
          (server.updatedAt !== null && Date.parse(server.updatedAt) > query.updatedSince)) &&
        (query.version === undefined ||
          query.version === "latest" ||
          query.version === server.version),
    );
    const servers = matching.slice(0, query.limit);
    const last = servers.at(-1);
    return {
      servers,
      nextCursor: matching.length > query.limit && last ? `${last.name}:${last.version}` : null,
    };
  }

  /** Every served version of `name` (one), or null when no such server is served. */
  async versions(name: string): Promise<ServedServer[] | null> {
    const server = (await this.all()).find((candidate) => candidate.name === name);
    return server ? [server] : null;
  }

  /** `version` is exact or `latest`; null when not served. */
  async version(name: string, version: string): Promise<ServedServer | null> {
    const server = (await this.all()).find((candidate) => candidate.name === name);
    return server && (version === "latest" || version === server.version) ? server : null;
  }

  /** Everything served, sorted by name. */
  async all(): Promise<ServedServer[]> {
    const candidates = [
      ...(await this.#local("config")),
      ...(await this.#local("api")),
      ...(await this.#mirrored()),
    ];
    const names = assignServedNames(candidates);
    return candidates
      .flatMap((candidate, index) => {
        const name = names[index];
        return name ? [candidate.build(name)] : [];
      })
      .sort((left, right) => compareStrings(left.name, right.name));
  }

  async #local(source: ConnectorSource): Promise<Candidate[]> {
    const listings: ConnectorListing[] = [];
    for (let after: string | undefined; ;) {
      const page = await this.sources.catalog.list({ source, after, limit: PAGE });
      listings.push(...page.data);
      after = page.data.at(-1)?.id;
      if (!page.hasMore || after === undefined) break;
    }
    return listings.flatMap((listing) => {
      if (listing.url === null) return [];
      const url = listing.url;
      const stamp = listing.updated_at ?? this.sources.loadedAt;
      return [
        {
          preferred: localServerName(this.sources.namespace, listing.id),
          registryId: null,
          build: (name: string): ServedServer => ({
            name,
            version: LOCAL_CONNECTOR_VERSION,
            description: describe(listing.description, listing.title, listing.id),
            title: clip(listing.title, MAX_DESCRIPTION),
            // `auto` tries Streamable HTTP first, the transport a client should start with.
            remotes: [{ type: listing.transport === "sse" ? "sse" : "streamable-http", url }],
            status: "active",
            statusMessage: null,
            publishedAt: source === "config" ? this.sources.loadedAt : null,
            updatedAt: toTimestamp(stamp),
            connectorId: listing.id,
            source,
            registryId: null,
          }),
        },
      ];
    });
  }

  async #mirrored(): Promise<Candidate[]> {
    const { mirror, registries } = this.sources;
    if (!mirror || !registries) return [];
    const servers: MirroredServer[] = [];
    for (let after: string | undefined; ;) {
      const page = await mirror.list({ after, limit: PAGE });
      servers.push(...page.data);
      after = page.data.at(-1)?.connectorId;
      if (!page.hasMore || after === undefined) break;
    }
    return servers
      .filter(
        (server) =>
          server.status !== "deleted" &&
          server.remotes.length > 0 &&
          registries.get(server.registryId) !== undefined,
      )
      .sort(
        (left, right) =>
          compareStrings(left.registryId, right.registryId) ||
          compareStrings(left.name, right.name),
      )
      .map((server) => ({
        preferred: server.name,
        registryId: server.registryId,
        build: (name: string): ServedServer => ({
          name,
          version: server.version,
          description: describe(server.description, server.title, server.name),
          title: clip(server.title, MAX_DESCRIPTION),
          remotes: server.remotes.map(toServedRemote),
          status: server.status,
          statusMessage: clip(server.statusMessage, MAX_STATUS_MESSAGE),
          publishedAt: toTimestamp(server.publishedAt),
          updatedAt: toTimestamp(server.updatedAt),
          connectorId: server.connectorId,
          source: "registry",
          registryId: server.registryId,
        }),
      }));
  }
}

/** The registry requires a description of 1–100 characters: the title or the id stand in. */
function describe(description: string | null, title: string | null, id: string): string {
  return (
    clip(description, MAX_DESCRIPTION) ??
    clip(title, MAX_DESCRIPTION) ??
    clip(`MCP server ${id}`, MAX_DESCRIPTION) ??
    id
  );
}

/** Trimmed and cut to `max` characters (ending in `…` when cut); null when empty. */
function clip(text: string | null, max: number): string | null {
  const trimmed = text?.trim() ?? "";
  if (trimmed === "") return null;
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max - 1)}…`;
}

/** RFC 3339 as the registry writes it, or null for a missing or unreadable instant. */
function toTimestamp(value: string | null): string | null {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
