/**
 * The one way to an MCP target (issue 12 §2): a resolved connector, or a user's `server_url`, plus
 * what the caller brings (credentials, extra headers) → the URL, transport, headers, credentials,
 * timeout and egress guard `McpClient.acquire` connects with. Used by a Responses request's `mcp`
 * tools and by the connector-tools routes alike.
 */
import { DEFAULT_MCP_TIMEOUT_MS } from "../config/resolve-config.js";
import type { Credentials } from "../mcp/credentials.js";
import type { EgressGuard, McpServerTarget } from "../mcp/mcp-client.js";
import type { ResolvedConnector } from "./connector-catalog.js";
import { parseRegistryConnectorId } from "./connector-ids.js";

/** What a caller brings to an MCP server. */
export interface CallerAccess {
  /** The caller's own credentials; they replace an admin- or registry-set `Authorization`. */
  credentials?: Credentials | undefined;
  /** The caller's extra headers (a request's `tools[].headers`); admin and registry ones win. */
  headers: Record<string, string>;
}

export type McpEndpoint =
  | { kind: "connector"; connector: ResolvedConnector }
  /** `timeoutMs`: `server.mcp.timeout_ms`. */
  | { kind: "server_url"; url: string; timeoutMs: number };

/**
 * `egress`: where third-party URLs may connect (PRODUCT.md §7), applied to a user's `server_url`
 * and to a registry server's remote (a public registry chose it), never to a config or admin
 * connector (the admin chose it).
 */
export function toMcpTarget(
  endpoint: McpEndpoint,
  access: CallerAccess,
  egress: EgressGuard | null,
): McpServerTarget {
  const credentials = access.credentials === undefined ? {} : { credentials: access.credentials };
  if (endpoint.kind === "server_url") {
    return {
      url: endpoint.url,
      transport: "auto",
      headers: access.headers,
      ...credentials,
      timeoutMs: endpoint.timeoutMs,
      egress: egress ?? undefined,
      peer: { kind: "server_url" },
    };
  }
  const { connector } = endpoint;
  const headers = mergeHeaders(access.headers, connector.headers);
  return {
    url: connector.url,
    transport: connector.transport,
    headers:
      access.credentials === undefined
        ? headers
        : Object.fromEntries(
            Object.entries(headers).filter(([name]) => name.toLowerCase() !== "authorization"),
          ),
    ...credentials,
    timeoutMs: connector.timeoutMs ?? DEFAULT_MCP_TIMEOUT_MS,
    egress: connector.source === "registry" ? (egress ?? undefined) : undefined,
    peer: {
      kind: "connector",
      connectorId: connector.connectorId,
      source: connector.source,
      registryId: parseRegistryConnectorId(connector.connectorId)?.registryId ?? null,
    },
  };
}

/** Later maps win; names compare case-insensitively, so a header is never sent twice. */
function mergeHeaders(...maps: ReadonlyArray<Record<string, string>>): Record<string, string> {
  const merged = new Map<string, [string, string]>();
  for (const map of maps)
    for (const [name, value] of Object.entries(map)) merged.set(name.toLowerCase(), [name, value]);
  return Object.fromEntries(merged.values());
}
