/**
 * `connector_id` → a connector, with the catalog's failures as API errors (PRODUCT.md §4, §5,
 * §8.16), for both a Responses request and the connector-tools routes: an unusable registry entry
 * (missing variable or secret header, no remote) → 400 naming what is missing; a registry that
 * cannot be reached while its mirror lacks the name → 424 `registry_unavailable`. An unknown id is
 * null: a request body answers it with 400, a URL path with 404.
 */
import { ApiError } from "../errors/api-error.js";
import { RegistryError } from "../errors/registry-error.js";
import { RemoteSelectionError } from "../errors/remote-selection-error.js";
import type { ConnectorCatalog, ResolvedConnector } from "./connector-catalog.js";

/** Where the failures point: the id's field, and the headers' field (for a missing header). */
export interface ConnectorParams {
  connectorId: string;
  headers: string;
}

export async function resolveCatalogConnector(
  catalog: ConnectorCatalog,
  connectorId: string,
  credentials: Record<string, string>,
  params: ConnectorParams,
  signal: AbortSignal,
): Promise<ResolvedConnector | null> {
  try {
    return await catalog.resolve(connectorId, credentials, signal);
  } catch (error) {
    if (error instanceof RemoteSelectionError) {
      throw new ApiError({
        status: 400,
        type: "invalid_request_error",
        code: error.code,
        param: error.code === "missing_header" ? params.headers : params.connectorId,
        message: `Connector '${connectorId}': ${error.message}`,
        cause: error,
      });
    }
    if (error instanceof RegistryError) {
      const retry = error.retryAfterSeconds();
      const next = retry === null ? "" : ` Patchbay asks the registry again in ${retry} s.`;
      throw new ApiError({
        status: 424,
        type: "external_connector_error",
        code: "registry_unavailable",
        param: params.connectorId,
        message: `Connector '${connectorId}' is not in the local mirror and its registry could not be reached: ${error.message}${next}`,
        headers: retry === null ? {} : { "retry-after": String(retry) },
        cause: error,
      });
    }
    throw error;
  }
}

/** The `Authorization` value for a caller's token; one already starting with `Bearer ` is kept. */
export function asBearer(token: string): string {
  return /^bearer\s/i.test(token) ? token : `Bearer ${token}`;
}
