/**
 * Request-side tool shapes (reference openai-responses-mcp.md §1). The `mcp` tool's target rule
 * (exactly one of `server_url` / `connector_id`; `tunnel_id` unsupported) is checked with the
 * index in hand by `prepareMcpTools`, so `param` can say `tools[i]`.
 */
import { z } from "zod";
import { ConnectorReferenceSchema } from "../connectors/connector-ids.js";
import { checkHeaders, HeaderValueSchema } from "../lib/http-header-rules.js";

export const ToolFilterSchema = z.strictObject({
  tool_names: z.array(z.string()).optional(),
  read_only: z.boolean().optional(),
});

export const RequireApprovalSchema = z.union([
  z.enum(["always", "never"]),
  z.strictObject({ always: ToolFilterSchema.optional(), never: ToolFilterSchema.optional() }),
]);

/** What a model accepts as a function name; also the rule for `server_label`. */
export const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const NameSchema = z
  .string()
  .regex(FUNCTION_NAME, "must be 1-64 characters of a-z, A-Z, 0-9, _ or -");

export const FunctionToolSchema = z.strictObject({
  type: z.literal("function"),
  name: NameSchema,
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

export const McpToolSchema = z.strictObject({
  type: z.literal("mcp"),
  server_label: NameSchema,
  server_url: z.url({ protocol: /^https?$/ }).optional(),
  connector_id: ConnectorReferenceSchema.optional(),
  tunnel_id: z.string().optional(),
  /** Sent as `Authorization: Bearer …`; checked like any header value, never quoted. */
  authorization: HeaderValueSchema.optional(),
  headers: z.record(z.string(), z.string()).superRefine(checkHeaders).nullish(),
  server_description: z.string().nullish(),
  allowed_tools: z.union([z.array(z.string()), ToolFilterSchema]).nullish(),
  require_approval: RequireApprovalSchema.nullish(),
  defer_loading: z.boolean().optional(),
  allowed_callers: z
    .array(z.enum(["direct", "programmatic"]))
    .min(1)
    .nullish(),
});

export const ToolSchema = z.discriminatedUnion("type", [FunctionToolSchema, McpToolSchema]);

export type FunctionTool = z.infer<typeof FunctionToolSchema>;
export type McpTool = z.infer<typeof McpToolSchema>;
export type Tool = z.infer<typeof ToolSchema>;
