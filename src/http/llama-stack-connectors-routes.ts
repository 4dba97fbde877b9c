/**
 * Llama Stack's read-only Connectors API under `/v1beta/connectors…` for `llama-stack-client`
 * users (docs/decisions/0011): `{"data":[…]}` lists, `Connector` and `ToolDef` objects, the MCP
 * token as `?authorization=` (Llama Stack's parameter) or in `X-Connector-Authorization`. Unknown
 * query parameters are ignored, as FastAPI does there.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { ConnectorCatalog } from "../connectors/connector-catalog.js";
import type { ConnectorListing } from "../connectors/connector-listing.js";
import {
  listConnectorTools,
  type ConnectorTools,
  type ConnectorToolsDeps,
} from "../connectors/list-connector-tools.js";
import { publicUrl } from "../connectors/connector-listing.js";
import { toLlamaStackConnector, toLlamaStackToolDef } from "../connectors/llama-stack-connector.js";
import { ApiError } from "../errors/api-error.js";
import { notFound } from "../errors/not-found-error.js";
import type { AppEnv } from "./app-env.js";
import {
  CONNECTOR_AUTHORIZATION_HEADER,
  ConnectorAuthorizationHeadersSchema,
  ConnectorIdParamsSchema,
  ConnectorTokenSchema,
  dataOf,
  LlamaStackConnectorSchema,
  LlamaStackToolDefSchema,
} from "./connector-schemas.js";
import {
  connectorCredentials,
  LIVE_TOOLS_DESCRIPTION,
  LIVE_TOOLS_ERRORS,
} from "./connectors-routes.js";
import { createRouter } from "./create-router.js";
import { errorResponses, jsonResponse, USER_KEY } from "./openapi-route-parts.js";

const PAGE_SIZE = 100;

const common = { tags: ["Llama Stack connectors"], security: USER_KEY };

const ToolsQuerySchema = z.object({
  authorization: ConnectorTokenSchema.optional().meta({
    description:
      "Llama Stack's spelling of the caller's MCP token; prefer the `X-Connector-Authorization` header, which proxies and logs do not keep.",
  }),
});

const toolsRequest = {
  params: ConnectorIdParamsSchema,
  query: ToolsQuerySchema,
  headers: ConnectorAuthorizationHeadersSchema,
};

const listConnectors = createRoute({
  ...common,
  method: "get",
  path: "/",
  operationId: "llamaStackListConnectors",
  summary: "List connectors (Llama Stack)",
  responses: {
    200: jsonResponse(
      dataOf(LlamaStackConnectorSchema, "LlamaStackConnectorList"),
      "Every connector, in id order.",
    ),
  },
});

/** Llama Stack also asks the MCP server for `serverInfo` here; Patchbay answers from its catalog. */
const getConnector = createRoute({
  ...common,
  method: "get",
  path: "/{connector_id}",
  operationId: "llamaStackGetConnector",
  summary: "Retrieve a connector (Llama Stack)",
  request: { params: ConnectorIdParamsSchema },
  responses: {
    200: jsonResponse(LlamaStackConnectorSchema, "The connector."),
    ...errorResponses(404),
  },
});

const listTools = createRoute({
  ...common,
  method: "get",
  path: "/{connector_id}/tools",
  operationId: "llamaStackListConnectorTools",
  summary: "List a connector's tools (Llama Stack)",
  description: LIVE_TOOLS_DESCRIPTION,
  request: toolsRequest,
  responses: {
    200: jsonResponse(dataOf(LlamaStackToolDefSchema, "LlamaStackToolDefList"), "Every tool."),
    ...errorResponses(...LIVE_TOOLS_ERRORS),
  },
});

const getTool = createRoute({
  ...common,
  method: "get",
  path: "/{connector_id}/tools/{tool_name}",
  operationId: "llamaStackGetConnectorTool",
  summary: "Retrieve one of a connector's tools (Llama Stack)",
  description: `${LIVE_TOOLS_DESCRIPTION} An unknown tool name is a 404.`,
  request: {
    ...toolsRequest,
    params: ConnectorIdParamsSchema.extend({
      tool_name: z.string().meta({ description: "An MCP tool name, as the server lists it." }),
    }),
  },
  responses: {
    200: jsonResponse(LlamaStackToolDefSchema, "The tool."),
    ...errorResponses(...LIVE_TOOLS_ERRORS),
  },
});

interface ToolsInput {
  connectorId: string;
  query: z.infer<typeof ToolsQuerySchema>;
  headers: z.infer<typeof ConnectorAuthorizationHeadersSchema>;
}

export function llamaStackConnectorsRoutes(deps: ConnectorToolsDeps): OpenAPIHono<AppEnv> {
  return createRouter()
    .openapi(listConnectors, async (c) => {
      const connectors = await listAll(deps.catalog);
      return c.json({ data: connectors.map(toLlamaStackConnector) }, 200);
    })
    .openapi(getConnector, async (c) => {
      const { connector_id: connectorId } = c.req.valid("param");
      const connector = await deps.catalog.get(connectorId);
      if (!connector) throw notFound("Connector", connectorId, "connector_id");
      return c.json(toLlamaStackConnector(connector), 200);
    })
    .openapi(listTools, async (c) => {
      const { connector, tools } = await liveTools(
        deps,
        {
          connectorId: c.req.valid("param").connector_id,
          query: c.req.valid("query"),
          headers: c.req.valid("header"),
        },
        c.req.raw.signal,
      );
      const endpoint = publicUrl(connector.url);
      return c.json({ data: tools.map((tool) => toLlamaStackToolDef(tool, endpoint)) }, 200);
    })
    .openapi(getTool, async (c) => {
      const { connector_id: connectorId, tool_name: toolName } = c.req.valid("param");
      const { connector, tools } = await liveTools(
        deps,
        { connectorId, query: c.req.valid("query"), headers: c.req.valid("header") },
        c.req.raw.signal,
      );
      const tool = tools.find((candidate) => candidate.name === toolName);
      if (!tool)
        throw new ApiError({
          status: 404,
          type: "invalid_request_error",
          param: "tool_name",
          message: `Tool '${toolName}' not found in connector '${connectorId}'. List its tools with GET /v1beta/connectors/{connector_id}/tools.`,
        });
      return c.json(toLlamaStackToolDef(tool, publicUrl(connector.url)), 200);
    });
}

function liveTools(
  deps: ConnectorToolsDeps,
  input: ToolsInput,
  signal: AbortSignal,
): Promise<ConnectorTools> {
  const fromQuery = input.query.authorization;
  return listConnectorTools(
    deps,
    {
      connectorId: input.connectorId,
      credentials: connectorCredentials(fromQuery ?? input.headers[CONNECTOR_AUTHORIZATION_HEADER]),
      credentialsParam: fromQuery === undefined ? CONNECTOR_AUTHORIZATION_HEADER : "authorization",
    },
    signal,
  );
}

/** Llama Stack's list has no paging: every connector, in id order, page by page. */
async function listAll(catalog: ConnectorCatalog): Promise<ConnectorListing[]> {
  const all: ConnectorListing[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await catalog.list({ after, limit: PAGE_SIZE });
    all.push(...page.data);
    after = page.data.at(-1)?.id;
    if (!page.hasMore || after === undefined) return all;
  }
}
