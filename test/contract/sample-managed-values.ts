/**
 * Sample connectors and registries for the `ManagedStore` contract: the variants cycle through
 * every shape `ConnectorConfig` allows (nulls, tool lists, filter objects, approval policies), so
 * adapters are tested on each JSON form a real admin write can store.
 */
import type { RegistryConfig } from "../../src/config/patchbay-config.js";
import type { ConnectorConfig } from "../../src/connectors/connector-schema.js";
import { connectorConfig } from "../support/config-entries.js";
import type { ManagedValueSamples } from "./managed-store-contract.js";

/** Connector `id`, different for every `variant` (its URL names the variant). */
export function sampleConnectorConfig(id: string, variant: number): ConnectorConfig {
  const base = connectorConfig(id, `https://mcp.example.com/${encodeURIComponent(id)}/v${variant}`);
  switch (variant % 4) {
    case 1:
      return {
        ...base,
        serverLabel: `label_${variant}`,
        description: 'Üñíçødé and "quotes" survive',
        transport: "streamable-http",
        headers: { Authorization: `Bearer token-${variant}`, "X-Version": "2" },
        allowedTools: ["search", "fetch"],
        requireApproval: "always",
        timeoutMs: 30_000,
      };
    case 2:
      return {
        ...base,
        transport: "sse",
        allowedTools: { tool_names: ["read_file"], read_only: true },
        requireApproval: { always: { tool_names: ["delete_file"] }, never: { read_only: true } },
      };
    case 3:
      return { ...base, allowedTools: {}, requireApproval: "never", timeoutMs: 1 };
    default:
      return base;
  }
}

/** Registry `id`, different for every `variant` (its sync interval is 60 + variant). */
export function sampleRegistryConfig(id: string, variant: number): RegistryConfig {
  const odd = variant % 2 === 1;
  return {
    id,
    name: odd ? `Registry ${variant}` : null,
    url: odd ? "https://registry.example.com" : "http://127.0.0.1:8080/mirror",
    headers: odd ? { Authorization: `Bearer ${variant}` } : {},
    syncIntervalS: 60 + variant,
    include: odd ? ["io.github.*", "com.example/*"] : [],
    exclude: odd ? [] : ["io.github.evil/*"],
  };
}

export const connectorSamples: ManagedValueSamples<ConnectorConfig> = {
  sampleValue: sampleConnectorConfig,
  idOf: (value) => value.connectorId,
};

export const registrySamples: ManagedValueSamples<RegistryConfig> = {
  sampleValue: sampleRegistryConfig,
  idOf: (value) => value.id,
};
