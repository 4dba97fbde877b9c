/**
 * `connector_id` → a connector (PRODUCT.md §4, §5, §8.16): the hop from an id a caller gave (a
 * request's `tools[].connector_id`, a `{connector_id}` path parameter) to the catalog's
 * `lookup`, with every way it can fail as a `ConnectorResolutionError` that says where the id came
 * from. Runs on every request, continuations included. `toMcpTarget` then makes the MCP target.
 */
import {
  ConnectorResolutionError,
  type ConnectorIdSource,
} from "../errors/connector-resolution-error.js";
import { RegistryError } from "../errors/registry-error.js";
import { RemoteSelectionError } from "../errors/remote-selection-error.js";
import { withCredentials } from "../mcp/credentials.js";
import type { ConnectorCatalog, ResolvedConnector } from "./connector-catalog.js";
import type { CallerAccess } from "./to-mcp-target.js";

export async function resolveConnector(
  catalog: ConnectorCatalog,
  connectorId: string,
  source: ConnectorIdSource,
  access: CallerAccess,
  signal: AbortSignal,
): Promise<ResolvedConnector> {
  let connector: ResolvedConnector | null;
  try {
    // A registry server's secret headers may come from the caller's headers or token.
    connector = await catalog.lookup(
      connectorId,
      withCredentials(access.headers, access.credentials),
      signal,
    );
  } catch (error) {
    if (error instanceof RemoteSelectionError || error instanceof RegistryError)
      throw new ConnectorResolutionError(connectorId, source, error);
    throw error;
  }
  if (connector === null) throw new ConnectorResolutionError(connectorId, source, null);
  return connector;
}
