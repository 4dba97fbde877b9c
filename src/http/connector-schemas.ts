/**
 * What the connector catalog routes take and answer: the OpenAI-style listing, a listed tool, and
 * Llama Stack's `Connector` and `ToolDef` served under `/v1beta` (docs/decisions/0011). The tests
 * check each answer schema against the catalog's TypeScript types.
 */
import { z } from "zod";
import { ConnectorReferenceSchema } from "../connectors/connector-ids.js";
import { McpTransportSchema } from "../connectors/connector-schema.js";
import { headerValueProblem } from "../lib/http-header-rules.js";
import { listOf } from "./openapi-route-parts.js";
import { PageLimitSchema } from "./page-limit-schema.js";

/** The caller's token for a connector's MCP server, kept out of the query string. */
export const CONNECTOR_AUTHORIZATION_HEADER = "X-Connector-Authorization";

const JsonObjectSchema = z.record(z.string(), z.unknown());

export const ConnectorIdParamsSchema = z.object({
  connector_id: ConnectorReferenceSchema.meta({
    description:
      "A connector id, percent-encoded whole (`encodeURIComponent`), e.g. `mcp%3A%3Apublic%3A%3Aio.github.x%2Fy`.",
  }),
});

/** A caller's token for an MCP server: sendable as a header value (checked like every one); blank is none. */
export const ConnectorTokenSchema = z.string().superRefine((value, context) => {
  const problem = value.trim() === "" ? null : headerValueProblem(value);
  if (problem !== null) context.addIssue({ code: "custom", message: problem });
});

export const ConnectorAuthorizationHeadersSchema = z.object({
  [CONNECTOR_AUTHORIZATION_HEADER]: ConnectorTokenSchema.optional().meta({
    description:
      "The caller's token for the MCP server, sent as `Authorization: Bearer <token>`; never stored or logged.",
  }),
});

export const ConnectorListQuerySchema = z.strictObject({
  source: z.enum(["config", "api", "registry"]).optional(),
  registry_id: z.string().min(1).optional(),
  search: z.string().min(1).max(200).optional(),
  after: z.string().min(1).optional(),
  limit: PageLimitSchema,
});

/** `GET /v1/connectors` item. */
export const ConnectorListingSchema = z
  .strictObject({
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
    transport: McpTransportSchema,
    url: z.string().nullable().meta({ description: "Without credentials, query or fragment." }),
    updated_at: z.string().nullable(),
  })
  .meta({ id: "Connector" });

/** What this replica saw of a connector's server (issue 15 §3, ADR 0026). */
export const ConnectorHealthSchema = z
  .strictObject({
    status: z.enum(["ok", "degraded", "unreachable", "auth_required", "unknown"]),
    checked_at: z
      .string()
      .nullable()
      .meta({ description: "When the last exchange or probe ended." }),
    latency_ms: z.number().nullable().meta({ description: "How long that exchange took." }),
    protocol_revision: z
      .string()
      .nullable()
      .meta({ description: "The MCP revision the server negotiated, e.g. `2025-06-18`." }),
    last_error: z
      .string()
      .nullable()
      .meta({ description: "The last failure, secrets redacted; kept after recovery." }),
    last_error_at: z.string().nullable(),
  })
  .meta({
    id: "ConnectorHealth",
    description:
      "Learnt from the MCP traffic and probes of the replica that answers, since it started: `unknown` until then. `auth_required`: the server refused the credentials; `unreachable`: no connection, a timeout or the egress policy; `degraded`: a wrong answer, or failures in the last 5 minutes; `ok` otherwise.",
  });

/** `GET /v1/connectors/{connector_id}`: the listing and its health. */
export const ConnectorDetailSchema = ConnectorListingSchema.extend({
  health: ConnectorHealthSchema,
}).meta({ id: "ConnectorDetail" });

export const ConnectorListSchema = listOf(
  ConnectorListingSchema,
  "ConnectorList",
  "A page of connectors, sorted by id.",
);

/** A tool of `GET /v1/connectors/{connector_id}/tools`, as `mcp_list_tools` items carry them. */
export const ConnectorToolItemSchema = z
  .strictObject({
    name: z.string(),
    description: z.string().nullable(),
    input_schema: JsonObjectSchema,
    annotations: z
      .strictObject({ read_only: z.boolean() })
      .nullable()
      .meta({ description: "`read_only` is the MCP `readOnlyHint`; null without annotations." }),
  })
  .meta({ id: "ConnectorTool" });

export const ConnectorToolListSchema = listOf(
  ConnectorToolItemSchema,
  "ConnectorToolList",
  "Every tool; ids are tool names.",
);

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
  .meta({
    id: "LlamaStackConnector",
    description: "Llama Stack's `Connector` (llama_stack_api/connectors/models.py).",
  });

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
  .meta({
    id: "LlamaStackToolDef",
    description: "Llama Stack's `ToolDef` (llama_stack_api/tools/models.py).",
  });

/** Llama Stack's unpaged list, `{"data":[…]}`. */
export function dataOf<Item extends z.ZodType>(item: Item, id: string) {
  return z
    .strictObject({ data: z.array(item) })
    .meta({ id, description: "Llama Stack's list shape: every item, unpaged." });
}
