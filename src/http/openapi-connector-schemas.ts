/**
 * Response objects of the connector catalog for `GET /openapi.json`: the OpenAI-style listing
 * (PRODUCT.md §8.8), a listed tool (§8.12), and Llama Stack's `Connector` and `ToolDef` served
 * under `/v1beta` (PRODUCT.md §6). The tests check each against the routes' TypeScript types.
 */
import { z } from "zod";

const JsonObjectSchema = z.record(z.string(), z.unknown());

/** `GET /v1/connectors` item (PRODUCT.md §8.8). */
export const ConnectorListingSchema = z.strictObject({
  id: z.string(),
  object: z.literal("connector"),
  source: z.enum(["config", "api", "registry"]),
  registry_id: z.string().nullable(),
  server_name: z.string().nullable(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  version: z.string().nullable(),
  status: z.enum(["active", "deprecated", "deleted"]),
  status_message: z.string().nullable(),
  transport: z.enum(["streamable-http", "sse", "auto"]),
  url: z.string().nullable().meta({ description: "Without credentials, query or fragment." }),
  updated_at: z.string().nullable(),
});

/** A tool of `GET /v1/connectors/{connector_id}/tools`, as `mcp_list_tools` items carry them. */
export const ConnectorToolItemSchema = z.strictObject({
  name: z.string(),
  description: z.string().nullable(),
  input_schema: JsonObjectSchema,
  annotations: z
    .strictObject({ read_only: z.boolean() })
    .nullable()
    .meta({ description: "`read_only` is the MCP `readOnlyHint`; null without annotations." }),
});

/** Llama Stack's `Connector`. */
export const LlamaStackConnectorSchema = z
  .strictObject({
    connector_type: z.literal("mcp"),
    connector_id: z.string(),
    url: z.string(),
    server_label: z.string().nullable(),
    server_name: z.string().nullable(),
    server_description: z.string().nullable(),
    server_version: z.string().nullable(),
  })
  .meta({ description: "Llama Stack's `Connector` (llama_stack_api/connectors/models.py)." });

/** Llama Stack's `ToolDef`. */
export const LlamaStackToolDefSchema = z
  .strictObject({
    toolgroup_id: z.string().nullable(),
    name: z.string(),
    description: z.string().nullable(),
    input_schema: JsonObjectSchema.nullable(),
    output_schema: JsonObjectSchema.nullable(),
    metadata: z.strictObject({ endpoint: z.string() }),
  })
  .meta({ description: "Llama Stack's `ToolDef` (llama_stack_api/tools/models.py)." });
