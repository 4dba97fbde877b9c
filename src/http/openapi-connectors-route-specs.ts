/**
 * Documented routes of the connector catalog (PRODUCT.md §6, §8.8, §8.9): OpenAI-style lists under
 * `/v1/connectors`, and Llama Stack's read-only shapes under `/v1beta/connectors` for
 * `llama-stack-client` users. Live tool listings contact the MCP server with the caller's token.
 */
import { z } from "zod";
import { ListQuerySchema as ConnectorListQuerySchema } from "./connectors-routes.js";
import type { ErrorStatus, RouteSpec } from "./openapi-route-spec.js";

/** Live `tools/list` failures, mapped as Llama Stack maps them (upstream 401/403 stay the caller's). */
const LIVE_TOOLS_ERRORS: readonly ErrorStatus[] = [400, 403, 404, 424, 502, 504];
const LIVE_TOOLS_DESCRIPTION =
  "Lists the MCP server's tools live. An MCP server refusing the caller's token is a 401 or 403; one that is down or broken a 502, one too slow a 504; a registry id missing from the mirror while its registry is unreachable a 424.";

const LlamaStackToolsQuerySchema = z.object({
  authorization: z.string().optional().meta({
    description:
      "Llama Stack's spelling of the caller's MCP token; prefer the `X-Connector-Authorization` header, which proxies and logs do not keep.",
  }),
});

export const CONNECTORS_ROUTE_SPECS: readonly RouteSpec[] = [
  {
    method: "get",
    path: "/v1/connectors",
    operationId: "listConnectors",
    summary: "List connectors of every source",
    description:
      "One entry per connector id, sorted by id; `after` is the last id seen (PRODUCT.md §8.8).",
    tag: "Connectors",
    auth: "user",
    query: ConnectorListQuerySchema,
    results: [
      {
        status: 200,
        description: "A page of connectors.",
        content: { "application/json": "ConnectorList" },
      },
    ],
    errors: [400],
  },
  {
    method: "get",
    path: "/v1/connectors/{connector_id}",
    operationId: "getConnector",
    summary: "Retrieve a connector",
    tag: "Connectors",
    auth: "user",
    results: [
      { status: 200, description: "The connector.", content: { "application/json": "Connector" } },
    ],
    errors: [404],
  },
  {
    method: "get",
    path: "/v1/connectors/{connector_id}/tools",
    operationId: "listConnectorTools",
    summary: "List a connector's tools",
    description: `${LIVE_TOOLS_DESCRIPTION} A token in the query string is a 400.`,
    tag: "Connectors",
    auth: "user",
    headers: ["X-Connector-Authorization"],
    results: [
      {
        status: 200,
        description: "Every tool, in one page.",
        content: { "application/json": "ConnectorToolList" },
      },
    ],
    errors: LIVE_TOOLS_ERRORS,
  },
  {
    method: "get",
    path: "/v1beta/connectors",
    operationId: "llamaStackListConnectors",
    summary: "List connectors (Llama Stack)",
    tag: "Llama Stack connectors",
    auth: "user",
    results: [
      {
        status: 200,
        description: "Every connector, in id order.",
        content: { "application/json": "LlamaStackConnectorList" },
      },
    ],
    errors: [],
  },
  {
    method: "get",
    path: "/v1beta/connectors/{connector_id}",
    operationId: "llamaStackGetConnector",
    summary: "Retrieve a connector (Llama Stack)",
    tag: "Llama Stack connectors",
    auth: "user",
    results: [
      {
        status: 200,
        description: "The connector.",
        content: { "application/json": "LlamaStackConnector" },
      },
    ],
    errors: [404],
  },
  {
    method: "get",
    path: "/v1beta/connectors/{connector_id}/tools",
    operationId: "llamaStackListConnectorTools",
    summary: "List a connector's tools (Llama Stack)",
    description: LIVE_TOOLS_DESCRIPTION,
    tag: "Llama Stack connectors",
    auth: "user",
    query: LlamaStackToolsQuerySchema,
    headers: ["X-Connector-Authorization"],
    results: [
      {
        status: 200,
        description: "Every tool.",
        content: { "application/json": "LlamaStackToolDefList" },
      },
    ],
    errors: LIVE_TOOLS_ERRORS,
  },
  {
    method: "get",
    path: "/v1beta/connectors/{connector_id}/tools/{tool_name}",
    operationId: "llamaStackGetConnectorTool",
    summary: "Retrieve one of a connector's tools (Llama Stack)",
    description: `${LIVE_TOOLS_DESCRIPTION} An unknown tool name is a 404.`,
    tag: "Llama Stack connectors",
    auth: "user",
    query: LlamaStackToolsQuerySchema,
    headers: ["X-Connector-Authorization"],
    results: [
      {
        status: 200,
        description: "The tool.",
        content: { "application/json": "LlamaStackToolDef" },
      },
    ],
    errors: LIVE_TOOLS_ERRORS,
  },
];
