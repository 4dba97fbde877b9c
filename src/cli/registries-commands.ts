/**
 * `patchbay registries list|add|update|remove|sync` (issue 6 item 4): the admin plane for MCP
 * registries (PRODUCT.md §6, §8.10, §8.16). `sync` forces a pass now and waits for its counts,
 * with a progress indicator on a terminal; a failed pass is the server's 502 `registry_error`.
 */
import {
  JsonObjectSchema,
  ListPageSchema,
  RegistryRowSchema,
  SyncResultSchema,
  type RegistryRow,
} from "./api-schemas.js";
import { fieldOptions, readBody, type BodyField } from "./body-fields.js";
import type { CliCommand, OptionSpec } from "./command.js";
import type { TableColumn } from "./format-table.js";
import { parseAnswer } from "./parse-answer.js";
import { startProgress } from "./progress-indicator.js";

const COLLECTION = "/v1/admin/mcp_registries";

const ID_FIELD: BodyField = {
  flag: "id",
  key: "id",
  kind: "string",
  value: "ID",
  description: "registry id ([a-z0-9][a-z0-9_-]*), used in mcp::<id>::<server>",
};

const REGISTRY_FIELDS: readonly BodyField[] = [
  { flag: "url", key: "url", kind: "string", value: "URL", description: "the registry's base URL" },
  { flag: "name", key: "name", kind: "string", value: "TEXT", description: "display name" },
  {
    flag: "header",
    key: "headers",
    kind: "map",
    value: "K=V",
    description: "header sent to the registry",
  },
  {
    flag: "sync-interval-s",
    key: "sync_interval_s",
    kind: "integer",
    value: "S",
    description: "seconds between incremental syncs (default 3600)",
  },
  {
    flag: "include",
    key: "include",
    kind: "list",
    value: "GLOB",
    description: "mirror only matching names",
  },
  {
    flag: "exclude",
    key: "exclude",
    kind: "list",
    value: "GLOB",
    description: "skip matching names",
  },
];

const IF_MATCH: OptionSpec = {
  type: "string",
  value: "ETAG",
  description: "only if the registry still has this ETag (else 412)",
};

const REGISTRY_COLUMNS: ReadonlyArray<TableColumn<RegistryRow>> = [
  { header: "ID", value: (row) => row.id },
  { header: "SOURCE", value: (row) => row.source },
  { header: "SERVERS", value: (row) => row.status?.servers },
  { header: "VERSIONS", value: (row) => row.status?.versions },
  { header: "LAST_SUCCESS", value: (row) => row.status?.last_success_at },
  { header: "URL", value: (row) => row.url },
  { header: "LAST_ERROR", value: (row) => row.status?.last_error },
];

function registryPath(id: string | undefined): string {
  return `${COLLECTION}/${encodeURIComponent(id ?? "")}`;
}

/** `registries list`. */
export const registriesListCommand: CliCommand = {
  group: "registries",
  name: "list",
  arguments: [],
  summary: "list MCP registries and their sync status (admin)",
  options: {},
  async run({ client, output }) {
    const response = await client.request({ method: "GET", path: COLLECTION });
    const page = parseAnswer(ListPageSchema, response.body, "registry list");
    const rows = page.data.map((item) => parseAnswer(RegistryRowSchema, item, "registry"));
    output.list(response.body, REGISTRY_COLUMNS, rows);
  },
};

/** `registries add`: a managed registry; its first sync starts at once on the server. */
export const registriesAddCommand: CliCommand = {
  group: "registries",
  name: "add",
  arguments: [],
  summary: "add an MCP registry (admin); it starts syncing at once",
  options: fieldOptions([ID_FIELD, ...REGISTRY_FIELDS]),
  async run({ options, client, output }) {
    const body = await readBody(options, [ID_FIELD, ...REGISTRY_FIELDS], ["id", "url"]);
    const response = await client.request({ method: "POST", path: COLLECTION, body });
    output.record(parseAnswer(JsonObjectSchema, response.body, "registry"), {
      etag: response.etag,
    });
  },
};

/** `registries update <id>`: a JSON merge patch; a new URL or filter forces a full crawl. */
export const registriesUpdateCommand: CliCommand = {
  group: "registries",
  name: "update",
  arguments: ["id"],
  summary: "change an MCP registry (admin; JSON merge patch)",
  options: { ...fieldOptions(REGISTRY_FIELDS), "if-match": IF_MATCH },
  async run({ args, options, client, output }) {
    const body = await readBody(options, REGISTRY_FIELDS, []);
    const response = await client.request({
      method: "PATCH",
      path: registryPath(args[0]),
      body,
      headers: { "if-match": options.string("if-match") },
    });
    output.record(parseAnswer(JsonObjectSchema, response.body, "registry"), {
      etag: response.etag,
    });
  },
};

/** `registries remove <id>`: drops the registry, its mirror and its connector ids. */
export const registriesRemoveCommand: CliCommand = {
  group: "registries",
  name: "remove",
  arguments: ["id"],
  summary: "remove an MCP registry and its mirror (admin)",
  options: { "if-match": IF_MATCH },
  async run({ args, options, client, output }) {
    const response = await client.request({
      method: "DELETE",
      path: registryPath(args[0]),
      headers: { "if-match": options.string("if-match") },
    });
    output.message(response.body, `removed registry ${args[0] ?? ""}`);
  },
};

/** `registries sync <id>`: forces a pass now and prints its counts. */
export const registriesSyncCommand: CliCommand = {
  group: "registries",
  name: "sync",
  arguments: ["id"],
  summary: "sync a registry now and print the counts (admin)",
  options: {},
  async run({ args, client, output }) {
    const id = args[0] ?? "";
    const progress = startProgress(output.stderr, `syncing registry ${id}`);
    let body: unknown;
    try {
      body = (await client.request({ method: "POST", path: `${registryPath(id)}/sync` })).body;
    } finally {
      progress.stop();
    }
    parseAnswer(SyncResultSchema, body, "sync result");
    output.record(parseAnswer(JsonObjectSchema, body, "sync result"));
  },
};
