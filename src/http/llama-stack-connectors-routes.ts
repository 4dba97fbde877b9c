/**
 * Llama Stack's read-only Connectors API under `/v1beta/connectors…` for `llama-stack-client`
 * users (PRODUCT.md §6, §8.9; docs/decisions/0011): `{"data":[…]}` lists, `Connector` and
 * `ToolDef` objects, the MCP token as `?authorization=` (Llama Stack's parameter) or in
 * `X-Connector-Authorization`. Unknown query parameters are ignored, as FastAPI does there.
 */
import { Hono, type Context } from "hono";
import type { ConnectorCatalog } from "../connectors/connector-catalog.js";
import type { ConnectorListing } from "../connectors/connector-listing.js";
import {
  listConnectorTools,
  type ConnectorTools,
  type ConnectorToolsDeps,
} from "../connectors/list-connector-tools.js";
import { publicUrl } from "../connectors/connector-listing.js";
import { toLlamaStackConnector, toLlamaStackToolDef } from "../connectors/llama-stack-connector.js";
import { ApiError, notFound } from "../errors/api-error.js";
import type { AppEnv } from "./app-env.js";
import { CONNECTOR_AUTHORIZATION_HEADER } from "./connector-tools-routes.js";

const PAGE_SIZE = 100;

export function llamaStackConnectorsRoutes(deps: ConnectorToolsDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get("/", async (c) => {
    const connectors = await listAll(deps.catalog);
    return c.json({ data: connectors.map(toLlamaStackConnector) });
  });

  routes.get("/:connector_id/tools/:tool_name", async (c) => {
    const connectorId = c.req.param("connector_id");
    const toolName = c.req.param("tool_name");
    const { connector, tools } = await liveTools(c, deps);
    const tool = tools.find((candidate) => candidate.name === toolName);
    if (!tool)
      throw new ApiError({
        status: 404,
        type: "invalid_request_error",
        param: "tool_name",
        message: `Tool '${toolName}' not found in connector '${connectorId}'. List its tools with GET /v1beta/connectors/{connector_id}/tools.`,
      });
    return c.json(toLlamaStackToolDef(tool, publicUrl(connector.url)));
  });

  routes.get("/:connector_id/tools", async (c) => {
    const { connector, tools } = await liveTools(c, deps);
    const endpoint = publicUrl(connector.url);
    return c.json({ data: tools.map((tool) => toLlamaStackToolDef(tool, endpoint)) });
  });

  /** Llama Stack also asks the MCP server for `serverInfo` here; Patchbay answers from its catalog. */
  routes.get("/:connector_id", async (c) => {
    const connectorId = c.req.param("connector_id");
    const connector = await deps.catalog.get(connectorId);
    if (!connector) throw notFound("Connector", connectorId, "connector_id");
    return c.json(toLlamaStackConnector(connector));
  });

  return routes;
}

function liveTools(c: Context<AppEnv>, deps: ConnectorToolsDeps): Promise<ConnectorTools> {
  const fromQuery = c.req.query("authorization");
  return listConnectorTools(
    deps,
    {
      connectorId: c.req.param("connector_id") ?? "",
      authorization: fromQuery ?? c.req.header(CONNECTOR_AUTHORIZATION_HEADER),
      authorizationParam:
        fromQuery === undefined ? CONNECTOR_AUTHORIZATION_HEADER : "authorization",
    },
    c.req.raw.signal,
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
