/**
 * Live `tools/list` of one connector for the user plane (PRODUCT.md §6, §8.9), shared by
 * `GET /v1/connectors/{id}/tools` and Llama Stack's `/v1beta/connectors/{id}/tools[/{name}]`.
 * The MCP server is contacted with the caller's token only (plus headers the admin or registry
 * set), and the lease is always released. Failures map as Llama Stack maps them (docs/decisions/
 * 0011): unknown id 404, upstream 401 → 401, upstream 403 → 403, timeout 504, anything else 502.
 */
import { DEFAULT_MCP_TIMEOUT_MS } from "../config/resolve-config.js";
import { ApiError, invalidRequest, notFound } from "../errors/api-error.js";
import { McpConnectionError } from "../errors/mcp-connection-error.js";
import type { McpClient, McpServerTarget, McpToolDescriptor } from "../mcp/mcp-client.js";
import type { ConnectorCatalog, ResolvedConnector } from "./connector-catalog.js";
import { asBearer, resolveCatalogConnector } from "./resolve-catalog-connector.js";

/** What a bearer token can hold; anything else (CR, LF, NUL…) could never be sent as a header. */
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

export interface ConnectorToolsDeps {
  catalog: ConnectorCatalog;
  mcp: McpClient;
}

export interface ConnectorToolsRequest {
  connectorId: string;
  /** The caller's token for the MCP server, with or without `Bearer `; absent → none sent. */
  authorization: string | undefined;
  /** Where the token came from (`X-Connector-Authorization`, `authorization`), named in 401/403s. */
  authorizationParam: string;
}

export interface ConnectorTools {
  connector: ResolvedConnector;
  tools: McpToolDescriptor[];
}

export async function listConnectorTools(
  deps: ConnectorToolsDeps,
  request: ConnectorToolsRequest,
  signal: AbortSignal,
): Promise<ConnectorTools> {
  const token = request.authorization?.trim();
  if (token && !PRINTABLE_ASCII.test(token))
    throw invalidRequest(
      `The connector token in '${request.authorizationParam}' must be printable ASCII.`,
      request.authorizationParam,
      "invalid_value",
    );
  const credentials: Record<string, string> = token ? { Authorization: asBearer(token) } : {};
  // A path id, so an unknown one is a 404, unlike the 400 of a request body's `connector_id` (§4).
  const connector = await resolveCatalogConnector(
    deps.catalog,
    request.connectorId,
    credentials,
    { connectorId: "connector_id", headers: "connector_id" },
    signal,
  );
  if (!connector) throw notFound("Connector", request.connectorId, "connector_id");
  const target: McpServerTarget = {
    url: connector.url,
    transport: connector.transport,
    headers: { ...withoutAuthorization(connector.headers, credentials), ...credentials },
    timeoutMs: connector.timeoutMs ?? DEFAULT_MCP_TIMEOUT_MS,
  };
  try {
    const lease = await deps.mcp.acquire(target, signal);
    try {
      return { connector, tools: await lease.listTools(signal) };
    } finally {
      await lease.release();
    }
  } catch (error) {
    if (error instanceof McpConnectionError)
      throw toConnectorToolsError(error, request.connectorId, request.authorizationParam);
    throw error;
  }
}

/**
 * The MCP server's refusal of the caller's token stays the caller's fault (401/403, like Llama
 * Stack's `AuthenticationRequiredError`); a server that is down, slow or broken is a gateway fault.
 */
export function toConnectorToolsError(
  error: McpConnectionError,
  connectorId: string,
  authorizationParam: string,
): ApiError {
  const reason = `Error retrieving tool list from connector '${connectorId}'. ${error.message}`;
  if (error.kind === "http" && (error.status === 401 || error.status === 403)) {
    const unauthorized = error.status === 401;
    return new ApiError({
      status: error.status,
      type: unauthorized ? "authentication_error" : "permission_error",
      code: unauthorized ? "connector_authentication_required" : "connector_permission_denied",
      param: authorizationParam,
      message: `${reason} The MCP server ${unauthorized ? "needs a valid token" : "refused this token"}: pass yours in '${authorizationParam}'.`,
      cause: error,
    });
  }
  if (error.kind === "timeout")
    return new ApiError({
      status: 504,
      type: "external_connector_error",
      code: "connector_timeout",
      message: reason,
      cause: error,
    });
  return new ApiError({
    status: 502,
    type: "external_connector_error",
    code: "connector_error",
    message: reason,
    cause: error,
  });
}

/** The caller's token replaces an admin-set `Authorization`, whatever its spelling. */
function withoutAuthorization(
  headers: Record<string, string>,
  credentials: Record<string, string>,
): Record<string, string> {
  if (Object.keys(credentials).length === 0) return headers;
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== "authorization"),
  );
}
