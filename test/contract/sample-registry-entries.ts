/**
 * Registry entries for the mirror contract, the sync tests and the benchmark: parsed
 * `RegistryServerEntry` values as the registry client yields them (reference mcp-registry-api.md §1).
 */
import type { RegistryConfig } from "../../src/config/patchbay-config.js";
import type { RegistryRemote, RegistryServerEntry } from "../../src/store/registry-server-entry.js";
import { registryConfig } from "../support/config-entries.js";

/** A resolved `mcp_registries[]` entry with the config defaults, syncing every minute. */
export function sampleRegistryConfig(
  id = "reg",
  overrides: Partial<RegistryConfig> = {},
): RegistryConfig {
  return registryConfig(id, `http://${id}.registry.test`, { syncIntervalS: 60, ...overrides });
}

export function sampleRemote(
  url = "https://mcp.example.com/mcp",
  type: RegistryRemote["type"] = "streamable-http",
): RegistryRemote {
  return { type, url, headers: [], variables: {} };
}

/** An active entry with one streamable-http remote unless `overrides` say otherwise. */
export function sampleEntry(
  name: string,
  version = "1.0.0",
  overrides: Partial<RegistryServerEntry> = {},
): RegistryServerEntry {
  return {
    name,
    version,
    title: null,
    description: `Server ${name}`,
    remotes: [sampleRemote(`https://${name.replace("/", ".")}.example.com/mcp`)],
    hasPackages: false,
    status: "active",
    statusMessage: null,
    publishedAt: "2025-01-01T00:00:00Z",
    updatedAt: "2025-01-01T00:00:00Z",
    isLatest: true,
    ...overrides,
  };
}

/** A `deleted` tombstone, as an `updated_since` listing returns it. */
export function deletedEntry(name: string, version: string): RegistryServerEntry {
  return sampleEntry(name, version, { status: "deleted", updatedAt: "2025-06-01T00:00:00Z" });
}
