/**
 * The connector model, declared once (issue 12 §2): `ConnectorConfigSchema` is the resolved shape
 * every module uses (its type is inferred from it) and the check every stored connector row
 * passes; `ConnectorEntrySchema` is the config file's spelling of it (PRODUCT.md §2, §8.2), which
 * the admin API takes too, and resolves straight into that shape. run.yaml, the admin API, the
 * stores and the MCP port all import from here, and nowhere else declares a connector's fields.
 * This file depends only on zod, `lib/`, the id rules and the config file's field schemas, so the
 * lower layers may import it (ADR 0022).
 */
import * as z from "zod";
import {
  BooleanFromEnvSchema,
  expected,
  HeadersSchema,
  HttpUrlSchema,
  integerFromEnv,
  OptionalTextSchema,
} from "../config/config-field-schemas.js";
import { ConnectorIdSchema } from "./connector-ids.js";

/** How Patchbay speaks to an MCP server; `auto` tries Streamable HTTP, then legacy SSE. */
export const McpTransportSchema = z.enum(["streamable-http", "sse", "auto"], {
  error: expected("expected 'streamable-http', 'sse' or 'auto'"),
});
export type McpTransport = z.infer<typeof McpTransportSchema>;

/** `{tool_names, read_only}`; `read_only` may come from `${env.X}` as "true"/"false". */
export const ToolFilterSchema = z.strictObject({
  tool_names: z.array(z.string()).exactOptional(),
  read_only: BooleanFromEnvSchema.exactOptional(),
});
export type ToolFilter = z.infer<typeof ToolFilterSchema>;

/** `allowed_tools`: tool names, or a filter (reference §1). */
export const AllowedToolsSchema = z.union([z.array(z.string()), ToolFilterSchema], {
  error: expected("expected a list of tool names or {tool_names, read_only}"),
});
export type AllowedTools = z.infer<typeof AllowedToolsSchema>;

/** `require_approval`: `always`, `never`, or filters for each (reference §1). */
export const RequireApprovalSchema = z.union(
  [
    z.literal(["always", "never"]),
    z.strictObject({
      always: ToolFilterSchema.exactOptional(),
      never: ToolFilterSchema.exactOptional(),
    }),
  ],
  { error: expected("expected 'always', 'never' or {always, never}") },
);
export type RequireApproval = z.infer<typeof RequireApprovalSchema>;

/**
 * A connector of run.yaml or the admin API, resolved: what the catalog, the admin plane and the
 * stores hold. Stored rows are checked against it on every read and before every write; the
 * checks on what a connector may hold (id syntax, sendable header values) are made where it
 * enters, by `ConnectorEntrySchema`, so a row written before a rule was tightened still reads.
 */
export const ConnectorConfigSchema = z.strictObject({
  connectorId: z.string().min(1),
  url: z.string().min(1),
  serverLabel: z.string().nullable(),
  description: z.string().nullable(),
  transport: McpTransportSchema,
  /** Static headers the admin sets (API keys among them): never echoed. */
  headers: z.record(z.string(), z.string()),
  allowedTools: AllowedToolsSchema.nullable(),
  requireApproval: RequireApprovalSchema.nullable(),
  /** Per MCP request; null: the default (`DEFAULT_MCP_TIMEOUT_MS`). */
  timeoutMs: z.int().min(1).nullable(),
});
export type ConnectorConfig = z.infer<typeof ConnectorConfigSchema>;

/**
 * One `connectors[]` entry (PRODUCT.md §2, §8.2), under the agents provider or at OGX's top
 * level, and the body of `POST /v1/admin/connectors`: strict, ids and headers checked, defaults
 * applied, resolved into a `ConnectorConfig`. `name` is an alias of `connector_id`; OGX's
 * `connector_type` is accepted when it is `mcp`, the only type there is, and not kept.
 */
export const ConnectorEntrySchema = z
  .strictObject({
    connector_type: z.literal("mcp", { error: expected("expected 'mcp'") }).optional(),
    connector_id: ConnectorIdSchema.optional(),
    name: ConnectorIdSchema.optional(),
    url: HttpUrlSchema,
    server_label: OptionalTextSchema,
    description: OptionalTextSchema,
    transport: McpTransportSchema.default("auto"),
    headers: HeadersSchema,
    allowed_tools: AllowedToolsSchema.optional(),
    require_approval: RequireApprovalSchema.optional(),
    timeout_ms: integerFromEnv(1).optional(),
  })
  .transform((entry, context): ConnectorConfig => {
    const { connector_id: connectorId, name } = entry;
    if (connectorId !== undefined && name !== undefined && connectorId !== name) {
      context.addIssue({
        code: "custom",
        path: ["name"],
        message: "give connector_id or its alias name, not both",
      });
    }
    const id = connectorId ?? name;
    if (id === undefined) {
      context.addIssue({
        code: "custom",
        path: ["connector_id"],
        message: "is required (or its alias name)",
      });
      return z.NEVER;
    }
    return {
      connectorId: id,
      url: entry.url,
      serverLabel: entry.server_label,
      description: entry.description,
      transport: entry.transport,
      headers: entry.headers,
      allowedTools: entry.allowed_tools ?? null,
      requireApproval: entry.require_approval ?? null,
      timeoutMs: entry.timeout_ms ?? null,
    };
  });
export type ConnectorEntry = z.input<typeof ConnectorEntrySchema>;

/** A connector in the config file's spelling: what an admin merge patch applies to. */
export function toConnectorEntry(connector: ConnectorConfig): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    connector_id: connector.connectorId,
    url: connector.url,
    transport: connector.transport,
    headers: connector.headers,
  };
  if (connector.serverLabel !== null) entry.server_label = connector.serverLabel;
  if (connector.description !== null) entry.description = connector.description;
  if (connector.allowedTools !== null) entry.allowed_tools = connector.allowedTools;
  if (connector.requireApproval !== null) entry.require_approval = connector.requireApproval;
  if (connector.timeoutMs !== null) entry.timeout_ms = connector.timeoutMs;
  return entry;
}
