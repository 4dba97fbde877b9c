/**
 * What Patchbay keeps of an MCP Registry entry (one server name at one version), parsed tolerantly
 * from the official Registry API `/v0.1` (reference mcp-registry-api.md §1–§2; PRODUCT.md §5).
 * Only the fields resolution and listing need; the rest of server.json is ignored.
 */

/** server.json Input: a `variables{}` value, and the base of a header (KeyValueInput). */
export interface RegistryInput {
  name: string;
  description: string | null;
  isRequired: boolean;
  isSecret: boolean;
  value: string | null;
  default: string | null;
}

/** A `remotes[].headers[]` entry: `{curly}` placeholders in `value` come from its own `variables`. */
export interface RegistryHeader extends RegistryInput {
  variables: Record<string, RegistryInput>;
}

export interface RegistryRemote {
  type: "streamable-http" | "sse";
  /** A URI template: `{variable}` placeholders are filled from `variables`. */
  url: string;
  headers: RegistryHeader[];
  variables: Record<string, RegistryInput>;
}

export type RegistryServerStatus = "active" | "deprecated" | "deleted";

export interface RegistryServerEntry {
  name: string;
  version: string;
  title: string | null;
  description: string | null;
  remotes: RegistryRemote[];
  /** The server lists `packages` (local processes Patchbay does not launch). */
  hasPackages: boolean;
  status: RegistryServerStatus;
  statusMessage: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  /** The registry's own flag; the mirror recomputes latest locally (PRODUCT.md §5). */
  isLatest: boolean | null;
}

export interface RegistryPage {
  entries: RegistryServerEntry[];
  /** Entries that failed tolerant parsing and were skipped (counted, never fatal). */
  skipped: number;
  /** `metadata.nextCursor`; null when absent. */
  nextCursor: string | null;
}

export interface ListServersQuery {
  cursor?: string | undefined;
  /** 1–100; the client uses 100. */
  limit: number;
  /** RFC 3339; the registry returns entries with `updated_at > updatedSince`, deleted included. */
  updatedSince?: string | undefined;
}

/** The port to one MCP Registry. Adapter: `HttpRegistryClient`. */
export interface RegistryClient {
  /** One page of `GET /v0.1/servers`. Throws `RegistryError`. */
  listPage(query: ListServersQuery, signal: AbortSignal): Promise<RegistryPage>;
  /** `GET /v0.1/servers/{name}/versions/{version|latest}`; null on 404. Throws `RegistryError`. */
  getVersion(
    name: string,
    version: string,
    signal: AbortSignal,
  ): Promise<RegistryServerEntry | null>;
}
