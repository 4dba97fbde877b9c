/**
 * Documented routes of the admin plane (PRODUCT.md §6, §8.10, §8.16): create (201), read with
 * `ETag`, merge-patch and delete honouring `If-Match`; config objects are read-only (409).
 */
import type { ComponentName } from "./openapi-components.js";
import type { RouteSpec, RouteTag } from "./openapi-route-spec.js";

interface ManagedKind {
  /** Path below `/v1/admin`, e.g. `connectors`. */
  collection: string;
  param: string;
  tag: RouteTag;
  /** Singular noun for summaries, e.g. `connector`. */
  noun: string;
  /** Operation id stem, e.g. `AdminConnector`. */
  stem: string;
  item: ComponentName;
  list: ComponentName;
  create: ComponentName;
  patch: ComponentName;
  deleted: ComponentName;
}

/** The five CRUD routes shared by connectors and registries. */
function crudRouteSpecs(kind: ManagedKind): RouteSpec[] {
  const collection = `/v1/admin/${kind.collection}`;
  const item = `${collection}/{${kind.param}}`;
  const common = { tag: kind.tag, auth: "admin" } as const;
  return [
    {
      ...common,
      method: "get",
      path: collection,
      operationId: `list${kind.stem}s`,
      summary: `List every config and API ${kind.noun}`,
      results: [
        { status: 200, description: "All of them.", content: { "application/json": kind.list } },
      ],
      errors: [],
    },
    {
      ...common,
      method: "post",
      path: collection,
      operationId: `create${kind.stem}`,
      summary: `Create a ${kind.noun}`,
      description:
        "Validated like the config file; durable before the answer; used by the very next request. Duplicate id → 409.",
      body: {
        description: `The ${kind.noun}.`,
        content: { "application/json": kind.create },
      },
      results: [
        {
          status: 201,
          description: "Created.",
          content: { "application/json": kind.item },
          etag: true,
        },
      ],
      errors: [400, 409, 413],
    },
    {
      ...common,
      method: "get",
      path: item,
      operationId: `get${kind.stem}`,
      summary: `Retrieve a ${kind.noun}`,
      results: [
        {
          status: 200,
          description: `The ${kind.noun}.`,
          content: { "application/json": kind.item },
          etag: true,
        },
      ],
      errors: [404],
    },
    {
      ...common,
      method: "patch",
      path: item,
      operationId: `update${kind.stem}`,
      summary: `Change a ${kind.noun} (JSON merge patch)`,
      description: "Config objects are read-only (409); a stale `If-Match` is a 412.",
      headers: ["If-Match"],
      body: {
        description: "RFC 7396 merge patch.",
        content: {
          "application/merge-patch+json": kind.patch,
          "application/json": kind.patch,
        },
      },
      results: [
        {
          status: 200,
          description: "The changed object.",
          content: { "application/json": kind.item },
          etag: true,
        },
      ],
      errors: [400, 404, 409, 412, 413],
    },
    {
      ...common,
      method: "delete",
      path: item,
      operationId: `delete${kind.stem}`,
      summary: `Delete a ${kind.noun}`,
      description: "Config objects are read-only (409); a stale `If-Match` is a 412.",
      headers: ["If-Match"],
      results: [
        { status: 200, description: "Deleted.", content: { "application/json": kind.deleted } },
      ],
      errors: [404, 409, 412],
    },
  ];
}

export const ADMIN_CONNECTORS_ROUTE_SPECS: readonly RouteSpec[] = crudRouteSpecs({
  collection: "connectors",
  param: "connector_id",
  tag: "Admin: connectors",
  noun: "connector",
  stem: "AdminConnector",
  item: "AdminConnector",
  list: "AdminConnectorList",
  create: "ConnectorCreate",
  patch: "ConnectorPatch",
  deleted: "ConnectorDeleted",
});

export const ADMIN_REGISTRIES_ROUTE_SPECS: readonly RouteSpec[] = [
  ...crudRouteSpecs({
    collection: "mcp_registries",
    param: "registry_id",
    tag: "Admin: MCP registries",
    noun: "MCP registry",
    stem: "McpRegistry",
    item: "AdminRegistry",
    list: "AdminRegistryList",
    create: "RegistryCreate",
    patch: "RegistryPatch",
    deleted: "RegistryDeleted",
  }),
  {
    method: "get",
    path: "/v1/admin/mcp_registries/{registry_id}/status",
    operationId: "getMcpRegistryStatus",
    summary: "A registry's sync status",
    tag: "Admin: MCP registries",
    auth: "admin",
    results: [
      {
        status: 200,
        description: "The status.",
        content: { "application/json": "RegistryStatus" },
      },
    ],
    errors: [404],
  },
  {
    method: "post",
    path: "/v1/admin/mcp_registries/{registry_id}/sync",
    operationId: "syncMcpRegistry",
    summary: "Sync a registry now",
    description:
      "Returns the pass's counts; a failed sync is a 502 `registry_error`, recorded in the status (PRODUCT.md §8.16).",
    tag: "Admin: MCP registries",
    auth: "admin",
    results: [
      {
        status: 200,
        description: "The sync's counts.",
        content: { "application/json": "RegistrySyncReport" },
      },
    ],
    errors: [404, 502],
  },
];
