/**
 * `patchbay connectors create|update|delete` (issue 6 item 4): the admin plane for managed
 * connectors (PRODUCT.md §6, §8.10). Create/update print the stored object and its `ETag`, which
 * `--if-match` takes back for optimistic concurrency (412 when someone changed it meanwhile).
 */
import { JsonObjectSchema } from "./api-schemas.js";
import { fieldOptions, readBody, type BodyField } from "./body-fields.js";
import type { CliCommand, OptionSpec } from "./command.js";
import { parseAnswer } from "./parse-answer.js";

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

const IF_MATCH: OptionSpec = {
  type: "string",
  value: "ETAG",
  description: "only if the connector still has this ETag (else 412)",
};

/** `/v1/admin/connectors/{id}`, the id percent-encoded (PRODUCT.md §8.9). */
function adminPath(id: string | undefined): string {
  return `/v1/admin/connectors/${encodeURIComponent(id ?? "")}`;
}

/** `connectors create`: a managed connector (201). */
export const connectorsCreateCommand: CliCommand = {
  group: "connectors",
  name: "create",
  arguments: [],
  summary: "create a managed connector (admin)",
  options: fieldOptions([CONNECTOR_ID_FIELD, ...CONNECTOR_FIELDS]),
  async run({ options, client, output }) {
    const body = await readBody(
      options,
      [CONNECTOR_ID_FIELD, ...CONNECTOR_FIELDS],
      ["connector-id", "url"],
    );
    const response = await client.request({ method: "POST", path: "/v1/admin/connectors", body });
    output.record(parseAnswer(JsonObjectSchema, response.body, "connector"), {
      etag: response.etag,
    });
  },
};

/** `connectors update <id>`: a JSON merge patch (RFC 7396) of the flags given. */
export const connectorsUpdateCommand: CliCommand = {
  group: "connectors",
  name: "update",
  arguments: ["id"],
  summary: "change a managed connector (admin; JSON merge patch)",
  options: { ...fieldOptions(CONNECTOR_FIELDS), "if-match": IF_MATCH },
  async run({ args, options, client, output }) {
    const body = await readBody(options, CONNECTOR_FIELDS, []);
    const response = await client.request({
      method: "PATCH",
      path: adminPath(args[0]),
      body,
      headers: { "if-match": options.string("if-match") },
    });
    output.record(parseAnswer(JsonObjectSchema, response.body, "connector"), {
      etag: response.etag,
    });
  },
};

/** `connectors delete <id>`. */
export const connectorsDeleteCommand: CliCommand = {
  group: "connectors",
  name: "delete",
  arguments: ["id"],
  summary: "delete a managed connector (admin)",
  options: { "if-match": IF_MATCH },
  async run({ args, options, client, output }) {
    const response = await client.request({
      method: "DELETE",
      path: adminPath(args[0]),
      headers: { "if-match": options.string("if-match") },
    });
    output.message(response.body, `deleted connector ${args[0] ?? ""}`);
  },
};
