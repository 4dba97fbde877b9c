/**
 * What Patchbay keeps of an MCP Registry entry (one server name at one version), parsed tolerantly
 * from the official Registry API `/v0.1` (reference mcp-registry-api.md §1–§2; PRODUCT.md §5).
 * Only the fields resolution and listing need; the rest of server.json is ignored. Defined here,
 * below `registries/`, because the registry mirror stores them and the store imports nothing above it.
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
