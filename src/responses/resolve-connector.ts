/**
 * `connector_id` → a connector, with the request-side errors of PRODUCT.md §4, §5 and §8.16:
 * unknown id → 400 `unknown_connector`; an unusable registry entry (missing variable or secret
 * header, no remote) → 400 naming what is missing; registry unreachable while its mirror lacks
 * the name → 424 `registry_unavailable`. Resolution runs on every request, continuations included.
 */
import type { ConnectorCatalog, ResolvedConnector } from "../connectors/connector-catalog.js";
import { ApiError } from "../errors/api-error.js";
import { RegistryError } from "../errors/registry-error.js";
import { RemoteSelectionError } from "../errors/remote-selection-error.js";

export async function resolveConnector(
  catalog: ConnectorCatalog,
  connectorId: string,
  callerHeaders: Record<string, string>,
  param: string,
  signal: AbortSignal,
): Promise<ResolvedConnector> {
  let connector: ResolvedConnector | null;
  try {
    connector = await catalog.resolve(connectorId, callerHeaders, signal);
  } catch (error) {
    if (error instanceof RemoteSelectionError) {
      throw new ApiError({
        status: 400,
        type: "invalid_request_error",
        code: error.code,
        param: error.code === "missing_header" ? `${param}.headers` : `${param}.connector_id`,
        message: `Connector '${connectorId}': ${error.message}`,
        cause: error,
      });
    }
    if (error instanceof RegistryError) {
      throw new ApiError({
        status: 424,
        type: "external_connector_error",
        code: "registry_unavailable",
        param: `${param}.connector_id`,
        message: `Connector '${connectorId}' is not in the local mirror and its registry could not be reached: ${error.message}`,
        cause: error,
      });
    }
    throw error;
  }
  if (!connector) {
    throw new ApiError({
      status: 400,
      type: "invalid_request_error",
      code: "unknown_connector",
      param: `${param}.connector_id`,
      message: `Unknown connector_id '${connectorId}'. List the available connectors with GET /v1/connectors.`,
    });
  }
  return connector;
}

/** Later maps win; names compare case-insensitively, so a header is never sent twice. */
export function mergeHeaders(
  ...maps: ReadonlyArray<Record<string, string>>
): Record<string, string> {
  const merged = new Map<string, [string, string]>();
  for (const map of maps)
    for (const [name, value] of Object.entries(map)) merged.set(name.toLowerCase(), [name, value]);
  return Object.fromEntries(merged.values());
}
