/**
 * `GET /v1/connectors/{connector_id}/tools` (PRODUCT.md §6, §8.9): the connector's live
 * `tools/list` in OpenAI's list shape. The caller's MCP token travels in
 * `X-Connector-Authorization`, never in the query string, where proxies and logs would keep it.
 */
import { Hono } from "hono";
import { z } from "zod";
import { listConnectorTools, type ConnectorToolsDeps } from "../connectors/list-connector-tools.js";
import { invalidRequest } from "../errors/api-error.js";
import type { McpToolDescriptor } from "../mcp/mcp-client.js";
import type { AppEnv } from "./app-env.js";
import { listPage } from "./list-page.js";

export const CONNECTOR_AUTHORIZATION_HEADER = "X-Connector-Authorization";

const ToolsQuerySchema = z.strictObject({});

/** A listed tool, as `mcp_list_tools` items carry them (reference §2.1, PRODUCT.md §8.12). */
export interface ConnectorToolItem {
  name: string;
  description: string | null;
  input_schema: Record<string, unknown>;
  annotations: { read_only: boolean } | null;
}

export function connectorToolsRoutes(deps: ConnectorToolsDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get("/:connector_id/tools", async (c) => {
    const query = c.req.query();
    if ("authorization" in query)
      throw invalidRequest(
        `Do not put the connector token in the query string; send it in the '${CONNECTOR_AUTHORIZATION_HEADER}' header.`,
        "authorization",
        "unknown_parameter",
      );
    ToolsQuerySchema.parse(query);
    const { tools } = await listConnectorTools(
      deps,
      {
        connectorId: c.req.param("connector_id"),
        authorization: c.req.header(CONNECTOR_AUTHORIZATION_HEADER),
        authorizationParam: CONNECTOR_AUTHORIZATION_HEADER,
      },
      c.req.raw.signal,
    );
    return c.json(listPage(tools.map(toConnectorToolItem), false, (tool) => tool.name));
  });

  return routes;
}

export function toConnectorToolItem(tool: McpToolDescriptor): ConnectorToolItem {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: tool.inputSchema,
    annotations: tool.annotations ? { read_only: tool.annotations.readOnlyHint ?? false } : null,
  };
}
