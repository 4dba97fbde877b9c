/**
 * `patchbay connectors list|get|tools` (issue 6 item 4): the user plane (PRODUCT.md §6, §8.8),
 * usable with any key. `list` follows `has_more` to the end unless `--limit` asks for one page.
 */
import type { ApiClient } from "./api-client.js";
import {
  ConnectorListingSchema,
  ConnectorToolSchema,
  JsonObjectSchema,
  ListPageSchema,
  type ConnectorListingRow,
  type ConnectorToolRow,
} from "./api-schemas.js";
import type { CliCommand, CommandOptions } from "./command.js";
import type { TableColumn } from "./format-table.js";
import { parseAnswer } from "./parse-answer.js";

const PAGE_SIZE = 100;

const CONNECTOR_COLUMNS: ReadonlyArray<TableColumn<ConnectorListingRow>> = [
  { header: "ID", value: (row) => row.id },
  { header: "SOURCE", value: (row) => row.source },
  { header: "TRANSPORT", value: (row) => row.transport },
  { header: "STATUS", value: (row) => row.status },
  { header: "URL", value: (row) => row.url },
];

const TOOL_COLUMNS: ReadonlyArray<TableColumn<ConnectorToolRow>> = [
  { header: "NAME", value: (row) => row.name },
  { header: "READ_ONLY", value: (row) => row.annotations?.read_only },
  { header: "DESCRIPTION", value: (row) => row.description },
];

/** `connectors list`: every connector id the server can construct (all sources). */
export const connectorsListCommand: CliCommand = {
  group: "connectors",
  name: "list",
  arguments: [],
  summary: "list connectors from every source (config, api, registry)",
  options: {
    source: { type: "string", value: "config|api|registry", description: "only this source" },
    "registry-id": { type: "string", value: "ID", description: "only this registry's servers" },
    search: { type: "string", value: "TEXT", description: "substring of id, title or description" },
    limit: { type: "string", value: "N", description: "one page of at most N (1-100)" },
    after: { type: "string", value: "ID", description: "start after this id" },
  },
  async run({ options, client, output }) {
    const limit = options.integer("limit");
    const { body, rows } = await listConnectors(client, options, limit);
    output.list(body, CONNECTOR_COLUMNS, rows);
  },
};

/** `connectors get <id>`: one connector as the catalog describes it. */
export const connectorsGetCommand: CliCommand = {
  group: "connectors",
  name: "get",
  arguments: ["id"],
  summary: "show one connector",
  options: {},
  async run({ args, client, output }) {
    const response = await client.request({ method: "GET", path: connectorPath(args[0]) });
    output.record(parseAnswer(JsonObjectSchema, response.body, "connector"));
  },
};

/** `connectors tools <id>`: a live `tools/list` through Patchbay. */
export const connectorsToolsCommand: CliCommand = {
  group: "connectors",
  name: "tools",
  arguments: ["id"],
  summary: "list the connector's tools (live tools/list)",
  options: {
    authorization: {
      type: "string",
      value: "TOKEN",
      description: "the MCP server's access token (sent as X-Connector-Authorization)",
    },
  },
  async run({ args, options, client, output }) {
    const response = await client.request({
      method: "GET",
      path: `${connectorPath(args[0])}/tools`,
      headers: { "x-connector-authorization": options.string("authorization") },
    });
    const page = parseAnswer(ListPageSchema, response.body, "tool list");
    const rows = page.data.map((item) => parseAnswer(ConnectorToolSchema, item, "tool"));
    output.list(response.body, TOOL_COLUMNS, rows);
  },
};

/** `/v1/connectors/{id}` with the whole id percent-encoded (PRODUCT.md §8.9). */
export function connectorPath(id: string | undefined): string {
  return `/v1/connectors/${encodeURIComponent(id ?? "")}`;
}

/** Every page (or one with `--limit`), as one list body for `--json` and its parsed rows. */
async function listConnectors(
  client: ApiClient,
  options: CommandOptions,
  limit: number | undefined,
): Promise<{ body: Record<string, unknown>; rows: ConnectorListingRow[] }> {
  const data: unknown[] = [];
  const rows: ConnectorListingRow[] = [];
  let after = options.string("after");
  let hasMore = true;
  while (hasMore) {
    const response = await client.request({
      method: "GET",
      path: "/v1/connectors",
      query: {
        source: options.string("source"),
        registry_id: options.string("registry-id"),
        search: options.string("search"),
        after,
        limit: String(limit ?? PAGE_SIZE),
      },
    });
    const page = parseAnswer(ListPageSchema, response.body, "connector list");
    data.push(...page.data);
    rows.push(...page.data.map((item) => parseAnswer(ConnectorListingSchema, item, "connector")));
    hasMore = page.has_more === true && typeof page.last_id === "string" && page.last_id !== after;
    after = page.last_id ?? undefined;
    if (limit !== undefined) break;
  }
  const body = {
    object: "list",
    data,
    first_id: rows[0]?.id ?? null,
    last_id: rows.at(-1)?.id ?? null,
    has_more: hasMore,
  };
  return { body, rows };
}
