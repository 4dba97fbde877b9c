/**
 * Patchbay's catalog served as an MCP Registry, read-only (issue 15 §4; reference
 * mcp-registry-openapi.yaml; README "Patchbay as an MCP registry"): `GET /v0.1/servers`,
 * `/v0.1/servers/{serverName}/versions` and `/v0.1/servers/{serverName}/versions/{version}`
 * (`latest` included), with the official query parameters, `name:version` cursors and status
 * `_meta`. Keys apply as on `/v1/connectors`; errors take the registry's problem shape
 * (`registry-problem.ts`, docs/decisions/0024-patchbay-as-an-mcp-registry.md).
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { z } from "zod";
import { invalidRequest } from "../errors/invalid-request-error.js";
import { notFound } from "../errors/not-found-error.js";
import type { ServedCatalog } from "../registry-api/served-catalog.js";
import type { ServedServer } from "../registry-api/served-server.js";
import type { AppEnv } from "./app-env.js";
import { createRouter } from "./create-router.js";
import { USER_KEY } from "./openapi-route-parts.js";
import {
  OFFICIAL_META_KEY,
  PATCHBAY_META_KEY,
  RegistryListQuerySchema,
  RegistryProblemSchema,
  RegistryServerListSchema,
  RegistryServerParamsSchema,
  RegistryServerResponseSchema,
  RegistryVersionParamsSchema,
  RegistryVersionQuerySchema,
} from "./registry-api-schemas.js";

const common = { tags: ["MCP Registry"], security: USER_KEY };

function problems<const Status extends number>(entries: Record<Status, string>) {
  return Object.fromEntries(
    Object.entries(entries).map(([status, description]) => [
      status,
      { description, content: { "application/problem+json": { schema: RegistryProblemSchema } } },
    ]),
  ) as Record<
    Status,
    {
      description: string;
      content: { "application/problem+json": { schema: typeof RegistryProblemSchema } };
    }
  >;
}

const AUTH_AND_FAULT = {
  401: "Missing or unknown API key.",
  500: "Unexpected server fault.",
} as const;

const listServers = createRoute({
  ...common,
  method: "get",
  path: "/servers",
  operationId: "listRegistryServers",
  summary: "List the catalog as MCP Registry servers",
  description:
    "Every connector the caller can use that has a remote, by name; `cursor` is `metadata.nextCursor`.",
  request: { query: RegistryListQuerySchema },
  responses: {
    200: {
      description: "A page of servers.",
      content: { "application/json": { schema: RegistryServerListSchema } },
    },
    ...problems({
      400: "A malformed `updated_since`, or `include_deleted=false` with it.",
      422: "A parameter out of range (`limit` 1–100).",
      ...AUTH_AND_FAULT,
    }),
  },
});

const listVersions = createRoute({
  ...common,
  method: "get",
  path: "/servers/{serverName}/versions",
  operationId: "listRegistryServerVersions",
  summary: "List the served versions of a server",
  request: { params: RegistryServerParamsSchema, query: RegistryVersionQuerySchema },
  responses: {
    200: {
      description: "The versions served (one: the connector as the catalog lists it).",
      content: { "application/json": { schema: RegistryServerListSchema } },
    },
    ...problems({ 404: "Server not found.", ...AUTH_AND_FAULT }),
  },
});

const getVersion = createRoute({
  ...common,
  method: "get",
  path: "/servers/{serverName}/versions/{version}",
  operationId: "getRegistryServerVersion",
  summary: "Retrieve one version of a server (`latest` allowed)",
  request: { params: RegistryVersionParamsSchema, query: RegistryVersionQuerySchema },
  responses: {
    200: {
      description: "The server.",
      content: { "application/json": { schema: RegistryServerResponseSchema } },
    },
    ...problems({ 404: "Server or version not found.", ...AUTH_AND_FAULT }),
  },
});

export function registryApiRoutes(served: ServedCatalog): OpenAPIHono<AppEnv> {
  return createRouter()
    .openapi(listServers, async (c) => {
      const query = c.req.valid("query");
      const updatedSince = parseUpdatedSince(query.updated_since);
      if (updatedSince !== undefined && query.include_deleted === "false")
        throw invalidRequest(
          "Cannot set include_deleted=false when using updated_since (incremental sync requires deleted servers)",
          "include_deleted",
        );
      const page = await served.list({
        cursor: query.cursor,
        limit: query.limit,
        search: query.search,
        updatedSince,
        version: query.version,
      });
      const metadata: { nextCursor?: string; count: number } = { count: page.servers.length };
      if (page.nextCursor !== null) metadata.nextCursor = page.nextCursor;
      return c.json({ servers: page.servers.map(toServerResponse), metadata }, 200);
    })
    .openapi(listVersions, async (c) => {
      const versions = await served.versions(c.req.valid("param").serverName);
      if (!versions) throw notFound("Server", c.req.valid("param").serverName, "serverName");
      return c.json(
        { servers: versions.map(toServerResponse), metadata: { count: versions.length } },
        200,
      );
    })
    .openapi(getVersion, async (c) => {
      const { serverName, version } = c.req.valid("param");
      const server = await served.version(serverName, version);
      if (!server) throw notFound("Server version", `${serverName}@${version}`, "version");
      return c.json(toServerResponse(server), 200);
    });
}

const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The official registry's check and message for `updated_since`. */
function parseUpdatedSince(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = RFC_3339.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw invalidRequest(
      "Invalid updated_since format: expected RFC3339 timestamp (e.g., 2025-08-07T13:15:04.280Z)",
      "updated_since",
    );
  return time;
}

/** A served server in the registry's `ServerResponse` spelling; absent, never null, fields. */
export function toServerResponse(
  server: ServedServer,
): z.infer<typeof RegistryServerResponseSchema> {
  const official: z.infer<typeof RegistryServerResponseSchema>["_meta"][typeof OFFICIAL_META_KEY] =
    { status: server.status, isLatest: true };
  if (server.statusMessage !== null) official.statusMessage = server.statusMessage;
  if (server.publishedAt !== null) official.publishedAt = server.publishedAt;
  if (server.updatedAt !== null) official.updatedAt = server.updatedAt;
  const detail: z.infer<typeof RegistryServerResponseSchema>["server"] = {
    name: server.name,
    description: server.description,
    version: server.version,
    remotes: server.remotes,
  };
  if (server.title !== null) detail.title = server.title;
  return {
    server: detail,
    _meta: {
      [OFFICIAL_META_KEY]: official,
      [PATCHBAY_META_KEY]: {
        connector_id: server.connectorId,
        source: server.source,
        registry_id: server.registryId,
      },
    },
  };
}
