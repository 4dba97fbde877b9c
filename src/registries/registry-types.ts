/**
 * The port to one MCP Registry and its pages (reference mcp-registry-api.md §1–§2; PRODUCT.md §5).
 * The entry types live with the mirror that stores them (`store/registry-server-entry.ts`).
 */
import type { RegistryServerEntry } from "../store/registry-server-entry.js";

export type {
  RegistryHeader,
  RegistryInput,
  RegistryRemote,
  RegistryServerEntry,
  RegistryServerStatus,
} from "../store/registry-server-entry.js";

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
