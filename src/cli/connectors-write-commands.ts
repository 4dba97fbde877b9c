/**
 * `patchbay connectors create|update|delete` (issue 6 item 4): the admin plane for managed
 * connectors (PRODUCT.md §6, §8.10): the connector's field flags, on the shared shape of
 * `adminWriteCommands` (ETag out, `--if-match` back in).
 */
import { adminWriteCommands } from "./admin-write-commands.js";
import type { BodyField } from "./body-fields.js";

const CONNECTOR_ID_FIELD: BodyField = {
  flag: "connector-id",
  key: "connector_id",
  kind: "string",
  value: "ID",
  description: "the connector id (not of the reserved form mcp::a::b)",
};

const CONNECTOR_FIELDS: readonly BodyField[] = [
  { flag: "url", key: "url", kind: "string", value: "URL", description: "the MCP server's URL" },
  {
    flag: "transport",
    key: "transport",
    kind: "string",
    value: "streamable-http|sse|auto",
    description: "MCP transport (default auto)",
  },
  {
    flag: "header",
    key: "headers",
    kind: "map",
    value: "K=V",
    description: "header sent to the server",
  },
  {
    flag: "description",
    key: "description",
    kind: "string",
    value: "TEXT",
    description: "description",
  },
  {
    flag: "server-label",
    key: "server_label",
    kind: "string",
    value: "LABEL",
    description: "default server_label",
  },
  {
    flag: "require-approval",
    key: "require_approval",
    kind: "string",
    value: "always|never",
    description: "approval policy",
  },
  {
    flag: "allowed-tool",
    key: "allowed_tools",
    kind: "list",
    value: "NAME",
    description: "allowed tool",
  },
  {
    flag: "timeout-ms",
    key: "timeout_ms",
    kind: "integer",
    value: "MS",
    description: "per-call timeout",
  },
];

const writeCommands = adminWriteCommands(
  {
    group: "connectors",
    noun: "connector",
    collection: "/v1/admin/connectors",
    idField: CONNECTOR_ID_FIELD,
    fields: CONNECTOR_FIELDS,
  },
  {
    create: { name: "create", summary: "create a managed connector (admin)" },
    update: { name: "update", summary: "change a managed connector (admin; JSON merge patch)" },
    remove: { name: "delete", summary: "delete a managed connector (admin)", done: "deleted" },
  },
);

/** `connectors create`: a managed connector (201). */
export const connectorsCreateCommand = writeCommands.create;

/** `connectors update <id>`: a JSON merge patch (RFC 7396) of the flags given. */
export const connectorsUpdateCommand = writeCommands.update;

/** `connectors delete <id>`. */
export const connectorsDeleteCommand = writeCommands.remove;
