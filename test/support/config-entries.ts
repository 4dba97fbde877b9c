/**
 * Resolved config entries for tests' `configure` hooks and samples: a connector, a registry and a
 * pair of API keys, with the defaults run.yaml would give them, so a test spells out only what
 * it is about.
 */
import type { ApiKeyConfig, RegistryConfig } from "../../src/config/patchbay-config.js";
import type { ConnectorConfig } from "../../src/connectors/connector-schema.js";

/** A `connectors[]` entry as run.yaml resolves one with only `connector_id` and `url` given. */
export function connectorConfig(
  connectorId: string,
  url: string,
  overrides: Partial<ConnectorConfig> = {},
): ConnectorConfig {
  return {
    connectorId,
    url,
    serverLabel: null,
    description: null,
    transport: "auto",
    headers: {},
    allowedTools: null,
    requireApproval: null,
    timeoutMs: null,
    ...overrides,
  };
}

/** An `mcp_registries[]` entry as run.yaml resolves one with only `id` and `url` given. */
export function registryConfig(
  id: string,
  url: string,
  overrides: Partial<RegistryConfig> = {},
): RegistryConfig {
  return {
    id,
    name: null,
    url,
    headers: {},
    syncIntervalS: 3600,
    include: [],
    exclude: [],
    ...overrides,
  };
}

/** `server.api_keys` with one admin and one user key. */
export function adminAndUserKeys(admin: string, user: string): ApiKeyConfig[] {
  return [
    { key: admin, role: "admin", name: "admin", user: null, mayActForUsers: false },
    { key: user, role: "user", name: "user", user: null, mayActForUsers: false },
  ];
}
