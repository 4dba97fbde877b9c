/**
 * Live `tools/list` of one connector for the user plane (PRODUCT.md §6, §8.9), shared by
 * `GET /v1/connectors/{id}/tools` and Llama Stack's `/v1beta/connectors/{id}/tools[/{name}]`.
 * The MCP server is contacted with the caller's credentials only (plus headers the admin or
 * registry set), and the lease is always released. An unknown id is a `ConnectorResolutionError`
 * from a path (404); a failed listing a `ToolListingError` for these routes, which `toApiError`
 * answers as Llama Stack does (docs/decisions/0011).
 */
import type { ConnectorIdSource } from "../errors/connector-resolution-error.js";
import { McpConnectionError } from "../errors/mcp-connection-error.js";
import { ToolListingError } from "../errors/tool-listing-error.js";
import type { Credentials } from "../mcp/credentials.js";
import type {
  EgressGuard,
  McpClient,
  McpServerTarget,
  McpToolDescriptor,
} from "../mcp/mcp-client.js";
import type { ConnectorCatalog, ResolvedConnector } from "./connector-catalog.js";
import { resolveConnector } from "./resolve-connector.js";
import { toMcpTarget } from "./to-mcp-target.js";

export interface ConnectorToolsDeps {
  catalog: ConnectorCatalog;
  mcp: McpClient;
  /** Guards registry servers' remotes (PRODUCT.md §7). */
  egress: EgressGuard | null;
}

export interface ConnectorToolsRequest {
  connectorId: string;
  /** The caller's credentials for the MCP server; absent → none sent. */
  credentials: Credentials | undefined;
  /** Where they came from (`X-Connector-Authorization`, `authorization`), named in 401/403s. */
  credentialsParam: string;
}

export interface ConnectorTools {
  connector: ResolvedConnector;
  tools: McpToolDescriptor[];
}

/** A path id cannot carry headers, so a registry server's missing header points at the id. */
const FROM_PATH: ConnectorIdSource = {
  in: "path",
  idParam: "connector_id",
  headersParam: "connector_id",
};

export async function listConnectorTools(
  deps: ConnectorToolsDeps,
  request: ConnectorToolsRequest,
  signal: AbortSignal,
): Promise<ConnectorTools> {
  const { connector, target } = await connectorTarget(
    deps,
    request.connectorId,
    request.credentials,
    signal,
  );
  try {
    const lease = await deps.mcp.acquire(target, signal);
    try {
      return { connector, tools: await lease.listTools(signal) };
    } finally {
      await lease.release();
    }
  } catch (error) {
    if (!(error instanceof McpConnectionError)) throw error;
    throw new ToolListingError(error, {
      for: "connector_tools",
      connectorId: request.connectorId,
      credentialsParam: request.credentialsParam,
    });
  }
}

/** A path's connector id, resolved, as the target to reach it with the caller's credentials only. */
export async function connectorTarget(
  deps: ConnectorToolsDeps,
  connectorId: string,
  credentials: Credentials | undefined,
  signal: AbortSignal,
): Promise<{ connector: ResolvedConnector; target: McpServerTarget }> {
  const access = { credentials, headers: {} };
  const connector = await resolveConnector(deps.catalog, connectorId, FROM_PATH, access, signal);
  return {
    connector,
    target: toMcpTarget({ kind: "connector", connector }, access, deps.egress),
  };
}
