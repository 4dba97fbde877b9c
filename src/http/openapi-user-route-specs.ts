/**
 * Documented routes of the open operations and of `/v1/responses` (PRODUCT.md §3, §7). The e2e
 * completeness test fails when a mounted route is missing here, or a route here is not mounted.
 */
import { z } from "zod";
import type { RouteSpec } from "./openapi-route-spec.js";
import { InputItemsQuerySchema } from "./responses-routes.js";

const RetrieveResponseQuerySchema = z.object({
  stream: z.enum(["true", "false"]).optional().meta({
    description: "Replaying a stored response as a stream is not supported: `true` is a 400.",
  }),
});

export const OPERATIONS_ROUTE_SPECS: readonly RouteSpec[] = [
  {
    method: "get",
    path: "/health",
    operationId: "getHealth",
    summary: "Liveness",
    tag: "Operations",
    auth: "none",
    results: [
      { status: 200, description: "The process is up.", content: { "application/json": "Health" } },
    ],
    errors: [],
  },
  {
    method: "get",
    path: "/ready",
    operationId: "getReady",
    summary: "Readiness: storage reachable",
    description: "Ready before the first registry crawl ends (PRODUCT.md §5).",
    tag: "Operations",
    auth: "none",
    results: [
      {
        status: 200,
        description: "Storage is reachable.",
        content: { "application/json": "Ready" },
      },
      {
        status: 503,
        description: "Storage is not reachable.",
        content: { "application/json": "Unready" },
      },
    ],
    errors: [],
  },
  {
    method: "get",
    path: "/metrics",
    operationId: "getMetrics",
    summary: "Prometheus metrics",
    tag: "Operations",
    auth: "none",
    results: [
      { status: 200, description: "Metrics.", content: { "text/plain": "PrometheusMetrics" } },
    ],
    errors: [],
  },
  {
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApiDocument",
    summary: "This OpenAPI document",
    tag: "Operations",
    auth: "none",
    results: [
      {
        status: 200,
        description: "The OpenAPI 3.1 document.",
        content: { "application/json": "OpenApiDocument" },
      },
    ],
    errors: [],
  },
];

export const RESPONSES_ROUTE_SPECS: readonly RouteSpec[] = [
  {
    method: "post",
    path: "/v1/responses",
    operationId: "createResponse",
    summary: "Create a model response",
    description:
      "JSON, or server-sent events with `stream: true`; `background: true` returns at once. MCP listing failures are a 424 in both modes (PRODUCT.md §8.5); model errors follow §8.15.",
    tag: "Responses",
    auth: "user",
    body: {
      description: "OpenAI's create-response parameters.",
      content: { "application/json": "CreateResponseRequest" },
    },
    results: [
      {
        status: 200,
        description: "The response, or its event stream.",
        content: {
          "application/json": "OpenAIResponse",
          "text/event-stream": "ResponseEventStream",
        },
      },
    ],
    errors: [400, 404, 413, 424, 429, 502, 503, 504],
  },
  {
    method: "get",
    path: "/v1/responses/{response_id}",
    operationId: "getResponse",
    summary: "Retrieve a stored response",
    tag: "Responses",
    auth: "user",
    query: RetrieveResponseQuerySchema,
    results: [
      {
        status: 200,
        description: "The response.",
        content: { "application/json": "OpenAIResponse" },
      },
    ],
    errors: [400, 404],
  },
  {
    method: "delete",
    path: "/v1/responses/{response_id}",
    operationId: "deleteResponse",
    summary: "Delete a stored response",
    tag: "Responses",
    auth: "user",
    results: [
      { status: 200, description: "Deleted.", content: { "application/json": "ResponseDeleted" } },
    ],
    errors: [404],
  },
  {
    method: "post",
    path: "/v1/responses/{response_id}/cancel",
    operationId: "cancelResponse",
    summary: "Cancel a background response",
    description: "Idempotent: cancelling a finished response returns it unchanged.",
    tag: "Responses",
    auth: "user",
    results: [
      {
        status: 200,
        description: "The response.",
        content: { "application/json": "OpenAIResponse" },
      },
    ],
    errors: [400, 404],
  },
  {
    method: "get",
    path: "/v1/responses/{response_id}/input_items",
    operationId: "listInputItems",
    summary: "List a response's input items",
    tag: "Responses",
    auth: "user",
    query: InputItemsQuerySchema,
    results: [
      {
        status: 200,
        description: "A page of items.",
        content: { "application/json": "InputItemList" },
      },
    ],
    errors: [400, 404],
  },
];
