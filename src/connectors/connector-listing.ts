/**
 * A connector as `GET /v1/connectors` lists it (PRODUCT.md §8.8): one entry per connector id,
 * `url` without secrets (no credentials, query or fragment), null where a field does not apply.
 */
import type { ConnectorConfig, McpTransport } from "./connector-schema.js";
import type { MirroredServer } from "../store/registry-mirror.js";

export type ConnectorSource = "config" | "api" | "registry";

export interface ConnectorListing {
  id: string;
  object: "connector";
  source: ConnectorSource;
  registry_id: string | null;
  server_name: string | null;
  title: string | null;
  description: string | null;
  version: string | null;
  status: "active" | "deprecated" | "deleted";
  status_message: string | null;
  transport: McpTransport;
  url: string | null;
  updated_at: string | null;
}

/** `updatedAt`: the last write of an API connector (as its admin view shows it); null for config. */
export function connectorListing(
  connector: ConnectorConfig,
  source: ConnectorSource = "config",
  updatedAt: string | null = null,
): ConnectorListing {
  return {
    id: connector.connectorId,
    object: "connector",
    source,
    registry_id: null,
    server_name: null,
    title: connector.serverLabel,
    description: connector.description,
    version: null,
    status: "active",
    status_message: null,
    transport: connector.transport,
    url: publicUrl(connector.url),
    updated_at: updatedAt,
  };
}

export function registryListing(server: MirroredServer): ConnectorListing {
  const remote =
    server.remotes.find((candidate) => candidate.type === "streamable-http") ??
    server.remotes.find((candidate) => candidate.type === "sse");
  return {
    id: server.connectorId,
    object: "connector",
    source: "registry",
    registry_id: server.registryId,
    server_name: server.name,
    title: server.title,
    description: server.description,
    version: server.version,
    status: server.status,
    status_message: server.statusMessage,
    transport: remote?.type ?? "auto",
    url: remote ? publicUrl(remote.url) : null,
    updated_at: server.updatedAt,
  };
}

/** Scheme, host and path only: credentials, query strings and fragments can carry secrets. */
export function publicUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url.replace(/[?#].*$/, "");
  }
}
