/**
 * The named schemas of `GET /openapi.json` (`components.schemas`), as zod schemas so the document
 * is generated from the same definitions the routes validate with (issue 6 item 5). Request bodies
 * are the routes' own schemas; response objects follow PRODUCT.md §6 and §8.8–§8.10, and the tests
 * check at compile time that they agree with the routes' TypeScript types.
 */
import { z } from "zod";
import { ConnectorEntrySchema, RegistryEntrySchema } from "../config/agents-config-schema.js";
import { CreateResponseRequestSchema } from "../responses/create-response-request.js";
import {
  ConnectorListingSchema,
  ConnectorToolItemSchema,
  LlamaStackConnectorSchema,
  LlamaStackToolDefSchema,
} from "./openapi-connector-schemas.js";

const OPENAI_RESPONSES = "https://platform.openai.com/docs/api-reference/responses";

/** OpenAI's error envelope, the body of every error status (STYLE.md "Errors: two tiers"). */
export const ErrorEnvelopeSchema = z
  .strictObject({
    error: z.strictObject({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string().nullable(),
    }),
  })
  .meta({ description: "OpenAI's error envelope; `param` names the offending field." });

/** OpenAI's list page (`{object:"list",data,first_id,last_id,has_more}`) around `item`. */
function listOf<Item extends z.ZodType>(item: Item, description: string) {
  return z
    .strictObject({
      object: z.literal("list"),
      data: z.array(item),
      first_id: z.string().nullable(),
      last_id: z.string().nullable(),
      has_more: z.boolean(),
    })
    .meta({ description });
}

/** Llama Stack's unpaged list, `{"data":[…]}`. */
function dataOf<Item extends z.ZodType>(item: Item) {
  return z
    .strictObject({ data: z.array(item) })
    .meta({ description: "Llama Stack's list shape: every item, unpaged." });
}

function deletedObject<Kind extends string>(object: Kind) {
  return z
    .strictObject({ id: z.string(), object: z.literal(object), deleted: z.literal(true) })
    .meta({ description: `Confirmation of a deletion (PRODUCT.md §8.10).` });
}

const OpenAIResponseSchema = z
  .looseObject({
    id: z.string(),
    object: z.literal("response"),
    created_at: z.number(),
    status: z.enum(["completed", "failed", "in_progress", "cancelled", "queued", "incomplete"]),
    model: z.string(),
    output: z.array(z.looseObject({ type: z.string() })),
  })
  .meta({
    description: `OpenAI's Response object, field for field: ${OPENAI_RESPONSES}/object. MCP tools are echoed redacted (no \`authorization\`, \`headers: null\`, \`server_url\` reduced to \`scheme://host/<redacted>\`).`,
  });

const InputItemSchema = z
  .looseObject({ id: z.string(), type: z.string() })
  .meta({ description: `An input item as OpenAI lists it: ${OPENAI_RESPONSES}/input-items.` });

const ToolFilterSchema = z.strictObject({
  tool_names: z.array(z.string()).optional(),
  read_only: z.boolean().optional(),
});

const SourceSchema = z.enum(["config", "api"]);
const RedactedHeadersSchema = z
  .record(z.string(), z.literal("<redacted>"))
  .meta({ description: "Header names only: values are secrets and are never echoed." });

/** A connector as the admin plane shows it (PRODUCT.md §8.10). */
export const AdminConnectorSchema = z.strictObject({
  id: z.string(),
  object: z.literal("connector"),
  source: SourceSchema,
  connector_id: z.string(),
  url: z.string(),
  server_label: z.string().nullable(),
  description: z.string().nullable(),
  transport: z.enum(["streamable-http", "sse", "auto"]),
  headers: RedactedHeadersSchema,
  allowed_tools: z.union([z.array(z.string()), ToolFilterSchema]).nullable(),
  require_approval: z
    .union([
      z.enum(["always", "never"]),
      z.strictObject({ always: ToolFilterSchema.optional(), never: ToolFilterSchema.optional() }),
    ])
    .nullable(),
  timeout_ms: z.number().nullable(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
});

/** A registry's last sync outcome (PRODUCT.md §5, §8.16). */
export const RegistryStatusSchema = z.strictObject({
  last_success_at: z.string().nullable(),
  last_attempt_at: z.string().nullable(),
  last_error: z.string().nullable(),
  servers: z.number(),
  versions: z.number(),
  skipped: z.number(),
});

/** An MCP registry as the admin plane shows it (PRODUCT.md §8.10). */
export const AdminRegistrySchema = z.strictObject({
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
});

const RegistryStatusReportSchema = z.strictObject({
  id: z.string(),
  object: z.literal("mcp_registry.status"),
  ...RegistryStatusSchema.shape,
});

/** `POST …/sync` counts (issue 6 item 2). */
export const RegistrySyncReportSchema = z.strictObject({
  id: z.string(),
  object: z.literal("mcp_registry.sync"),
  mode: z.enum(["full", "incremental"]),
  upserted: z.number(),
  deleted: z.number(),
  skipped: z.number(),
  servers: z.number(),
  versions: z.number(),
});

/** A fresh instance per use: a registry keys its entries by schema instance. */
function mergePatch() {
  return z.record(z.string(), z.unknown()).meta({
    description:
      "A JSON merge patch (RFC 7396) on the stored object: the merged result is validated like the config file; `null` removes a field.",
  });
}

/** Every named schema of the document; route tables refer to them by name. */
export const OPENAPI_COMPONENTS = {
  ErrorEnvelope: ErrorEnvelopeSchema,
  Health: z.strictObject({ status: z.literal("ok") }),
  Ready: z.strictObject({ status: z.literal("ready") }),
  Unready: z.strictObject({ status: z.literal("unavailable"), reason: z.string() }),
  PrometheusMetrics: z
    .string()
    .meta({ description: "Prometheus text exposition format (version 0.0.4)." }),
  OpenApiDocument: z
    .looseObject({ openapi: z.string() })
    .meta({ description: "This OpenAPI 3.1 document." }),
  CreateResponseRequest: CreateResponseRequestSchema.meta({
    description: `OpenAI's create-response body (${OPENAI_RESPONSES}/create); unknown parameters are a 400.`,
  }),
  OpenAIResponse: OpenAIResponseSchema,
  ResponseEventStream: z.string().meta({
    description: `Server-sent events, \`event: <type>\` then \`data: <json>\` (PRODUCT.md §8.17), exactly OpenAI's streaming events: ${OPENAI_RESPONSES}-streaming.`,
  }),
  ResponseDeleted: deletedObject("response"),
  InputItem: InputItemSchema,
  InputItemList: listOf(InputItemSchema, "A page of a response's input items."),
  Connector: ConnectorListingSchema,
  ConnectorList: listOf(ConnectorListingSchema, "A page of connectors, sorted by id."),
  ConnectorTool: ConnectorToolItemSchema,
  ConnectorToolList: listOf(ConnectorToolItemSchema, "Every tool; ids are tool names."),
  LlamaStackConnector: LlamaStackConnectorSchema,
  LlamaStackConnectorList: dataOf(LlamaStackConnectorSchema),
  LlamaStackToolDef: LlamaStackToolDefSchema,
  LlamaStackToolDefList: dataOf(LlamaStackToolDefSchema),
  ConnectorCreate: ConnectorEntrySchema.meta({
    description: "A `connectors[]` entry of run.yaml; the same validation applies.",
  }),
  ConnectorPatch: mergePatch(),
  AdminConnector: AdminConnectorSchema,
  AdminConnectorList: listOf(AdminConnectorSchema, "Every config and API connector."),
  ConnectorDeleted: deletedObject("connector.deleted"),
  RegistryCreate: RegistryEntrySchema.meta({
    description: "An `mcp_registries[]` entry of run.yaml; the same validation applies.",
  }),
  RegistryPatch: mergePatch(),
  AdminRegistry: AdminRegistrySchema,
  AdminRegistryList: listOf(AdminRegistrySchema, "Every config and API registry."),
  RegistryStatus: RegistryStatusReportSchema,
  RegistrySyncReport: RegistrySyncReportSchema,
  RegistryDeleted: deletedObject("mcp_registry.deleted"),
} satisfies Record<string, z.ZodType>;

export type ComponentName = keyof typeof OPENAPI_COMPONENTS;
