/**
 * User plane of the connector catalog: `GET /v1/connectors` (all sources, filters, OpenAI list
 * paging), `GET /v1/connectors/{connector_id}` with the whole id percent-encoded
 * (`mcp%3A%3Apublic%3A%3Aio.github.x%2Fy`, decoded once by the router), and the connector's live
 * `tools/list`. The caller's MCP token travels in `X-Connector-Authorization`, never in the query
 * string, where proxies and logs would keep it.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import type { ConnectorCatalog } from "../connectors/connector-catalog.js";
import { listConnectorTools, type ConnectorToolsDeps } from "../connectors/list-connector-tools.js";
import { toListedTool } from "../connectors/to-listed-tool.js";
import { invalidRequest } from "../errors/invalid-request-error.js";
import { notFound } from "../errors/not-found-error.js";
import { bearerCredentials, type Credentials } from "../mcp/credentials.js";
import type { ConnectorHealthSource } from "../observability/connector-health-book.js";
import type { AppEnv } from "./app-env.js";
import {
  CONNECTOR_AUTHORIZATION_HEADER,
  ConnectorAuthorizationHeadersSchema,
  ConnectorDetailSchema,
  ConnectorIdParamsSchema,
  ConnectorListQuerySchema,
  ConnectorListSchema,
  ConnectorToolListSchema,
} from "./connector-schemas.js";
import { createRouter } from "./create-router.js";
import { listPage } from "./list-page.js";
import { errorResponses, jsonResponse, USER_KEY } from "./openapi-route-parts.js";

const common = { tags: ["Connectors"], security: USER_KEY };

/** Live `tools/list` failures, mapped as Llama Stack maps them (upstream 401/403 stay the caller's). */
export const LIVE_TOOLS_ERRORS = [400, 403, 404, 424, 502, 504] as const;
export const LIVE_TOOLS_DESCRIPTION =
  "Lists the MCP server's tools live. An MCP server refusing the caller's token is a 401 or 403; one that is down or broken a 502, one too slow a 504; a registry id missing from the mirror while its registry is unreachable a 424.";

const listConnectors = createRoute({
  ...common,
  method: "get",
  path: "/",
  operationId: "listConnectors",
  summary: "List connectors of every source",
  description: "One entry per connector id, sorted by id; `after` is the last id seen.",
  request: { query: ConnectorListQuerySchema },
  responses: {
    200: jsonResponse(ConnectorListSchema, "A page of connectors."),
    ...errorResponses(400),
  },
});

const getConnector = createRoute({
  ...common,
  method: "get",
  path: "/{connector_id}",
  operationId: "getConnector",
  summary: "Retrieve a connector",
  description: "With its `health`: what this replica saw of its server (listings, calls, probes).",
  request: { params: ConnectorIdParamsSchema },
  responses: {
    200: jsonResponse(ConnectorDetailSchema, "The connector."),
    ...errorResponses(404),
  },
});

/** A token in the query string is refused by name before the (empty) query schema runs. */
const refuseTokenInQuery: MiddlewareHandler = async (c, next) => {
  if (c.req.query("authorization") !== undefined)
    throw invalidRequest(
      `Do not put the connector token in the query string; send it in the '${CONNECTOR_AUTHORIZATION_HEADER}' header.`,
      "authorization",
      "unknown_parameter",
    );
  return next();
};

const listTools = createRoute({
  ...common,
  method: "get",
  path: "/{connector_id}/tools",
  operationId: "listConnectorTools",
  summary: "List a connector's tools",
  description: `${LIVE_TOOLS_DESCRIPTION} A token in the query string is a 400.`,
  middleware: [refuseTokenInQuery],
  request: {
    params: ConnectorIdParamsSchema,
    query: z.strictObject({}),
    headers: ConnectorAuthorizationHeadersSchema,
  },
  responses: {
    200: jsonResponse(ConnectorToolListSchema, "Every tool, in one page."),
    ...errorResponses(...LIVE_TOOLS_ERRORS),
  },
});

export function connectorsRoutes(
  deps: ConnectorToolsDeps & { health: ConnectorHealthSource },
): OpenAPIHono<AppEnv> {
  return createRouter()
    .openapi(listConnectors, async (c) => {
      const query = c.req.valid("query");
      const page = await deps.catalog.list({
        source: query.source,
        registryId: query.registry_id,
        search: query.search,
        after: query.after,
        limit: query.limit,
      });
      return c.json(
        listPage(page.data, page.hasMore, (connector) => connector.id),
        200,
      );
    })
    .openapi(getConnector, async (c) => {
      const listing = await getListing(deps.catalog, c.req.valid("param").connector_id);
      return c.json({ ...listing, health: deps.health.health(listing.id) }, 200);
    })
    .openapi(listTools, async (c) => {
      const { tools } = await listConnectorTools(
        deps,
        {
          connectorId: c.req.valid("param").connector_id,
          credentials: connectorCredentials(c.req.valid("header")[CONNECTOR_AUTHORIZATION_HEADER]),
          credentialsParam: CONNECTOR_AUTHORIZATION_HEADER,
        },
        c.req.raw.signal,
      );
      return c.json(
        listPage(tools.map(toListedTool), false, (tool) => tool.name),
        200,
      );
    });
}

async function getListing(catalog: ConnectorCatalog, id: string) {
  const connector = await catalog.get(id);
  if (!connector) throw notFound("Connector", id, "connector_id");
  return connector;
}

/** The caller's token (checked by `ConnectorTokenSchema`) as credentials; blank or absent: none. */
export function connectorCredentials(token: string | undefined): Credentials | undefined {
  return token === undefined || token.trim() === "" ? undefined : bearerCredentials(token);
}
