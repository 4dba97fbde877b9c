/**
 * A request's `connector_id` → a connector: unknown id → 400 `unknown_connector`, the catalog's
 * other failures as `resolveCatalogConnector` maps them (PRODUCT.md §4, §5, §8.16). Resolution
 * runs on every request, continuations included.
 */
import type { ConnectorCatalog, ResolvedConnector } from "../connectors/connector-catalog.js";
import { ApiError } from "../errors/api-error.js";
import { resolveCatalogConnector } from "../connectors/resolve-catalog-connector.js";

export async function resolveConnector(
  catalog: ConnectorCatalog,
  connectorId: string,
  callerHeaders: Record<string, string>,
  param: string,
  signal: AbortSignal,
): Promise<ResolvedConnector> {
  const connector = await resolveCatalogConnector(
    catalog,
    connectorId,
    callerHeaders,
    { connectorId: `${param}.connector_id`, headers: `${param}.headers` },
    signal,
  );
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
