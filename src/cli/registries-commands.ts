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
import {
  adminObjectPath,
  adminWriteCommands,
  type AdminObjectKind,
} from "./admin-write-commands.js";
import type { BodyField } from "./body-fields.js";
import type { CliCommand } from "./command.js";
import type { TableColumn } from "./format-table.js";
import { parseAnswer } from "./parse-answer.js";
import { startProgress } from "./progress-indicator.js";

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

const REGISTRY_COLUMNS: ReadonlyArray<TableColumn<RegistryRow>> = [
  { header: "ID", value: (row) => row.id },
  { header: "SOURCE", value: (row) => row.source },
  { header: "SERVERS", value: (row) => row.status?.servers },
  { header: "VERSIONS", value: (row) => row.status?.versions },
  { header: "LAST_SUCCESS", value: (row) => row.status?.last_success_at },
  { header: "URL", value: (row) => row.url },
  { header: "LAST_ERROR", value: (row) => row.status?.last_error },
];

const REGISTRY: AdminObjectKind = {
  group: "registries",
  noun: "registry",
  collection: "/v1/admin/mcp_registries",
  idField: ID_FIELD,
  fields: REGISTRY_FIELDS,
};

const writeCommands = adminWriteCommands(REGISTRY, {
  create: { name: "add", summary: "add an MCP registry (admin); it starts syncing at once" },
  update: { name: "update", summary: "change an MCP registry (admin; JSON merge patch)" },
  remove: {
    name: "remove",
    summary: "remove an MCP registry and its mirror (admin)",
    done: "removed",
  },
});

/** `registries list`. */
export const registriesListCommand: CliCommand = {
  group: "registries",
  name: "list",
  arguments: [],
  summary: "list MCP registries and their sync status (admin)",
  options: {},
  async run({ client, output }) {
    const response = await client.request({ method: "GET", path: REGISTRY.collection });
    const page = parseAnswer(ListPageSchema, response.body, "registry list");
    const rows = page.data.map((item) => parseAnswer(RegistryRowSchema, item, "registry"));
    output.list(response.body, REGISTRY_COLUMNS, rows);
  },
};

/** `registries add`: a managed registry; its first sync starts at once on the server. */
export const registriesAddCommand = writeCommands.create;

/** `registries update <id>`: a JSON merge patch; a new URL or filter forces a full crawl. */
export const registriesUpdateCommand = writeCommands.update;

/** `registries remove <id>`: drops the registry, its mirror and its connector ids. */
export const registriesRemoveCommand = writeCommands.remove;

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
      const path = `${adminObjectPath(REGISTRY, id)}/sync`;
      body = (await client.request({ method: "POST", path })).body;
    } finally {
      progress.stop();
    }
    parseAnswer(SyncResultSchema, body, "sync result");
    output.record(parseAnswer(JsonObjectSchema, body, "sync result"));
  },
};
