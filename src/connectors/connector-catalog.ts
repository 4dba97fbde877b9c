/**
 * Where `connector_id`s resolve (PRODUCT.md §4). Today: the static `connectors:` of run.yaml
 * (seed phase 1). Registries (`mcp::<registry>::<name>`) and API-managed connectors plug in here.
 */
import type { ConnectorConfig } from "../config/patchbay-config.js";

export interface ConnectorCatalog {
  /** The connector for an id, or null when no source defines it. */
  resolve(connectorId: string): Promise<ConnectorConfig | null>;
}

/** Connectors loaded from the config file at startup; ids are case-sensitive. */
export class StaticConnectorCatalog implements ConnectorCatalog {
  private readonly byId: ReadonlyMap<string, ConnectorConfig>;

  constructor(connectors: readonly ConnectorConfig[]) {
    this.byId = new Map(connectors.map((connector) => [connector.connectorId, connector]));
  }

  resolve(connectorId: string): Promise<ConnectorConfig | null> {
    return Promise.resolve(this.byId.get(connectorId) ?? null);
  }
}
