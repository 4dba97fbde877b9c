/**
 * What the admin routes take and answer: create bodies are the config file's own entry schemas
 * (the same validation as `run.yaml`), patches are JSON merge patches, and the answers show
 * connectors and registries with header values redacted. The tests check the answer schemas
 * against the admin services' TypeScript types.
 */
import { z } from "zod";
import { RegistryEntrySchema } from "../registries/registry-schema.js";
import {
  AllowedToolsSchema,
  ConnectorEntrySchema,
  McpTransportSchema,
  RequireApprovalSchema,
} from "../connectors/connector-schema.js";
import { ConnectorHealthSchema } from "./connector-schemas.js";
import { deletedObject, listOf } from "./openapi-route-parts.js";

const SourceSchema = z.enum(["config", "api"]);
const RedactedHeadersSchema = z
  .record(z.string(), z.literal("<redacted>"))
  .meta({ description: "Header names only: values are secrets and are never echoed." });

/** A fresh instance per use: a registry keys its entries by schema instance. */
function mergePatch(id: string) {
  return z.record(z.string(), z.unknown()).meta({
    id,
    description:
      "A JSON merge patch (RFC 7396) on the stored object: the merged result is validated like the config file; `null` removes a field.",
  });
}

export const ConnectorCreateSchema = ConnectorEntrySchema.meta({
  id: "ConnectorCreate",
  description: "A `connectors[]` entry of run.yaml; the same validation applies.",
});
export const ConnectorPatchSchema = mergePatch("ConnectorPatch");

/** A connector as the admin plane shows it. */
export const AdminConnectorSchema = z
  .strictObject({
    id: z.string(),
    object: z.literal("connector"),
    source: SourceSchema,
    connector_id: z.string(),
    url: z.string(),
    server_label: z.string().nullable(),
    description: z.string().nullable(),
    transport: McpTransportSchema,
    headers: RedactedHeadersSchema,
    allowed_tools: AllowedToolsSchema.nullable(),
    require_approval: RequireApprovalSchema.nullable(),
    timeout_ms: z.number().nullable(),
    created_at: z.string().nullable(),
    updated_at: z.string().nullable(),
    health: ConnectorHealthSchema,
  })
  .meta({ id: "AdminConnector" });
export const AdminConnectorListSchema = listOf(
  AdminConnectorSchema,
  "AdminConnectorList",
  "Every config and API connector.",
);
export const ConnectorDeletedSchema = deletedObject("connector.deleted", "ConnectorDeleted");

export const RegistryCreateSchema = RegistryEntrySchema.meta({
  id: "RegistryCreate",
  description: "An `mcp_registries[]` entry of run.yaml; the same validation applies.",
});
export const RegistryPatchSchema = mergePatch("RegistryPatch");

/** A registry's last sync outcome. */
const RegistryStatusSchema = z.strictObject({
  last_success_at: z.string().nullable(),
  last_attempt_at: z.string().nullable(),
  last_error: z.string().nullable(),
  servers: z.number(),
  versions: z.number(),
  skipped: z.number(),
});

/** An MCP registry as the admin plane shows it. */
export const AdminRegistrySchema = z
  .strictObject({
    id: z.string(),
    object: z.literal("mcp_registry"),
    source: SourceSchema,
    name: z.string().nullable(),
    url: z.string(),
    headers: RedactedHeadersSchema,
    sync_interval_s: z.number(),
    include: z.array(z.string()),
    exclude: z.array(z.string()),
    created_at: z.string().nullable(),
    updated_at: z.string().nullable(),
    status: RegistryStatusSchema,
  })
  .meta({ id: "AdminRegistry" });
export const AdminRegistryListSchema = listOf(
  AdminRegistrySchema,
  "AdminRegistryList",
  "Every config and API registry.",
);
export const RegistryDeletedSchema = deletedObject("mcp_registry.deleted", "RegistryDeleted");

export const RegistryStatusReportSchema = z
  .strictObject({
    id: z.string(),
    object: z.literal("mcp_registry.status"),
    ...RegistryStatusSchema.shape,
  })
  .meta({ id: "RegistryStatus" });

/** `POST …/sync` counts. */
export const RegistrySyncReportSchema = z
  .strictObject({
    id: z.string(),
    object: z.literal("mcp_registry.sync"),
    mode: z.enum(["full", "incremental"]),
    upserted: z.number(),
    deleted: z.number(),
    skipped: z.number(),
    servers: z.number(),
    versions: z.number(),
  })
  .meta({ id: "RegistrySyncReport" });
