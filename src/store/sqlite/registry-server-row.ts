/**
 * The `registry_servers` row shape of `SqliteRegistryMirror` and its conversions, kept apart from
 * the statements so the adapter reads as queries only (PRODUCT.md §5 "Mirror").
 */
import { toSearchText } from "../mirror-listing.js";
import { readStoredJson } from "../read-stored-json.js";
import { RegistryRemotesSchema } from "../registry-remote-schema.js";
import type { RegistryServerEntry, RegistryServerStatus } from "../registry-server-entry.js";
import { toRegistryConnectorId, type MirroredServer } from "../registry-mirror.js";

/** The columns every read selects, in `registryServerColumns` order. */
export interface RegistryServerRow {
  registry_id: string;
  name: string;
  version: string;
  connector_id: string;
  title: string | null;
  description: string | null;
  status: RegistryServerStatus;
  status_message: string | null;
  published_at: string | null;
  updated_at: string | null;
  has_packages: number;
  remotes_json: string;
  is_latest: number;
}

export const registryServerColumns =
  "registry_id, name, version, connector_id, title, description, status, status_message, " +
  "published_at, updated_at, has_packages, remotes_json, is_latest";

/** Parameters of the upsert statement, named after its `@` placeholders. */
export interface RegistryServerWrite extends Omit<RegistryServerRow, "is_latest"> {
  has_remotes: number;
  search_text: string;
  crawl_id: string | null;
}

export function toRegistryServerWrite(
  registryId: string,
  entry: RegistryServerEntry,
  crawlId: string | null,
): RegistryServerWrite {
  return {
    registry_id: registryId,
    name: entry.name,
    version: entry.version,
    connector_id: toRegistryConnectorId(registryId, entry.name),
    title: entry.title,
    description: entry.description,
    status: entry.status,
    status_message: entry.statusMessage,
    published_at: entry.publishedAt,
    updated_at: entry.updatedAt,
    has_packages: entry.hasPackages ? 1 : 0,
    has_remotes: entry.remotes.length > 0 ? 1 : 0,
    remotes_json: JSON.stringify(entry.remotes),
    search_text: toSearchText(entry),
    crawl_id: crawlId,
  };
}

/** `remotes_json` is checked like every stored value (`readStoredJson`). */
export function toMirroredServer(row: RegistryServerRow): MirroredServer {
  return {
    registryId: row.registry_id,
    connectorId: row.connector_id,
    name: row.name,
    version: row.version,
    title: row.title,
    description: row.description,
    remotes: readStoredJson(
      "registry_servers",
      `${row.connector_id}@${row.version}`,
      row.remotes_json,
      (json) => RegistryRemotesSchema.parse(json),
    ),
    hasPackages: row.has_packages === 1,
    status: row.status,
    statusMessage: row.status_message,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    isLatest: row.is_latest === 1,
  };
}
