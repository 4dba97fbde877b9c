/**
 * A connector as Patchbay serves it at `/v0.1` (issue 15 §4): one MCP Registry server entry
 * (reference mcp-registry-openapi.yaml `ServerResponse`), already in the registry's own camelCase
 * spelling and stripped of secrets, plus which Patchbay connector it stands for.
 */
import type { ConnectorSource } from "../connectors/connector-listing.js";
import type { RegistryServerStatus } from "../store/registry-server-entry.js";

/** server.json `Input`, as served: a secret's `value` and `default` never are. */
export interface ServedInput {
  description?: string;
  isRequired?: boolean;
  isSecret?: boolean;
  value?: string;
  default?: string;
}

/** server.json `KeyValueInput`: a header the client sends. */
export interface ServedHeader extends ServedInput {
  name: string;
  variables?: Record<string, ServedInput>;
}

/** server.json `RemoteTransport`. */
export interface ServedRemote {
  type: "streamable-http" | "sse";
  url: string;
  headers?: ServedHeader[];
  variables?: Record<string, ServedInput>;
}

export interface ServedServer {
  /** `namespace/name`, unique among everything one Patchbay serves. */
  name: string;
  version: string;
  /** 1–100 characters (the registry's rule); never empty. */
  description: string;
  title: string | null;
  remotes: ServedRemote[];
  status: RegistryServerStatus;
  statusMessage: string | null;
  /** RFC 3339, or null when unknown. */
  publishedAt: string | null;
  updatedAt: string | null;
  /** What a Responses request names in `tools[].connector_id`. */
  connectorId: string;
  source: ConnectorSource;
  registryId: string | null;
}
