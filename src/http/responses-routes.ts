/**
 * `/v1/responses` routes (OpenAI's Responses API). Thin: validate, call the service, write JSON
 * or SSE from the same execution. Each route is one declaration next to its handler.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { ResponsesService } from "../responses/responses-service.js";
import type { AppEnv } from "./app-env.js";
import { principalOf } from "./authenticate.js";
import { createRouter } from "./create-router.js";
import { jsonBody, readJsonBody } from "./json-body.js";
import { listPage } from "./list-page.js";
import { errorResponses, jsonResponse, USER_KEY } from "./openapi-route-parts.js";
import {
  CreateResponseBodySchema,
  InputItemListSchema,
  InputItemsQuerySchema,
  ListResponsesQuerySchema,
  OpenAIResponseSchema,
  ResponseListSchema,
  ResponseDeletedSchema,
  ResponseEventStreamSchema,
  ResponseIdParamsSchema,
  RetrieveResponseQuerySchema,
} from "./responses-schemas.js";
import { toFollowerSseResponse, toSseResponse } from "./sse-response.js";

const common = { tags: ["Responses"], security: USER_KEY };

const createResponse = createRoute({
  ...common,
  method: "post",
  path: "/",
  operationId: "createResponse",
  summary: "Create a model response",
  description:
    "JSON, or server-sent events with `stream: true`; `background: true` returns at once (with `stream: true`, streams the run's events; a disconnect does not stop it). MCP listing failures are a 424 in both modes; model server errors map to 429, 502 and 504.",
  middleware: [readJsonBody],
  request: { body: jsonBody(CreateResponseBodySchema, "OpenAI's create-response parameters.") },
  responses: {
    200: {
      description: "The response, or its event stream.",
      content: {
        "application/json": { schema: OpenAIResponseSchema },
        "text/event-stream": { schema: ResponseEventStreamSchema },
      },
    },
    ...errorResponses(400, 404, 413, 424, 429, 502, 503, 504),
  },
});

const listResponses = createRoute({
  ...common,
  method: "get",
  path: "/",
  operationId: "listResponses",
  summary: "List stored responses",
  description:
    "Llama Stack's list (`llama-stack-client` `responses.list()`): stored responses by creation time, newest first unless `order=asc`, each with its `input` items. A user key sees only its own responses; an admin key sees all.",
  request: { query: ListResponsesQuerySchema },
  responses: {
    200: jsonResponse(ResponseListSchema, "A page of responses."),
    ...errorResponses(400),
  },
});

const getResponse = createRoute({
  ...common,
  method: "get",
  path: "/{response_id}",
  operationId: "getResponse",
  summary: "Retrieve a stored response, or stream a background response's events",
  request: { params: ResponseIdParamsSchema, query: RetrieveResponseQuerySchema },
  responses: {
    200: {
      description: "The response, or with `stream=true` its event stream.",
      content: {
        "application/json": { schema: OpenAIResponseSchema },
        "text/event-stream": { schema: ResponseEventStreamSchema },
      },
    },
    ...errorResponses(400, 404),
  },
});

const deleteResponse = createRoute({
  ...common,
  method: "delete",
  path: "/{response_id}",
  operationId: "deleteResponse",
  summary: "Delete a stored response",
  request: { params: ResponseIdParamsSchema },
  responses: { 200: jsonResponse(ResponseDeletedSchema, "Deleted."), ...errorResponses(404) },
});

const cancelResponse = createRoute({
  ...common,
  method: "post",
  path: "/{response_id}/cancel",
  operationId: "cancelResponse",
  summary: "Cancel a background response",
  description: "Idempotent: cancelling a finished response returns it unchanged.",
  request: { params: ResponseIdParamsSchema },
  responses: {
    200: jsonResponse(OpenAIResponseSchema, "The response."),
    ...errorResponses(400, 404),
  },
});

const listInputItems = createRoute({
  ...common,
  method: "get",
  path: "/{response_id}/input_items",
  operationId: "listInputItems",
  summary: "List a response's input items",
  request: { params: ResponseIdParamsSchema, query: InputItemsQuerySchema },
  responses: {
    200: jsonResponse(InputItemListSchema, "A page of items."),
    ...errorResponses(400, 404),
  },
});

export function responsesRoutes(service: ResponsesService): OpenAPIHono<AppEnv> {
  return createRouter()
    .openapi(createResponse, async (c) => {
      const request = c.req.valid("json");
      const principal = principalOf(c, request.user);
      if (request.background) {
        const queued = await service.startBackground(request, principal);
        if (!request.stream) return c.json(queued, 200);
        const events = await service.follow(queued.id, -1, principal, c.req.raw.signal);
        return toFollowerSseResponse(events, {
          "x-request-id": c.get("requestId"),
        });
      }
      const execution = await service.start(request, c.req.raw.signal, principal);
      if (request.stream) return toSseResponse(execution, { "x-request-id": c.get("requestId") });
      return c.json(await execution.collect(), 200);
    })
    .openapi(listResponses, async (c) => {
      const { after, model, ...paging } = c.req.valid("query");
      const page = await service.list(
        {
          ...paging,
          ...(after === undefined ? {} : { after }),
          ...(model === undefined ? {} : { model }),
        },
        principalOf(c),
      );
      const data = page.data.map((stored) => ({ ...stored.response, input: stored.inputItems }));
      return c.json(
        listPage(data, page.hasMore, (response) => response.id),
        200,
      );
    })
    .openapi(getResponse, async (c) => {
      const { stream, starting_after: startingAfter } = c.req.valid("query");
      const id = c.req.valid("param").response_id;
      if (stream === "true") {
        const after = startingAfter ?? -1;
        const events = await service.follow(id, after, principalOf(c), c.req.raw.signal);
        return toFollowerSseResponse(events, { "x-request-id": c.get("requestId") });
      }
      return c.json(await service.retrieve(id, principalOf(c)), 200);
    })
    .openapi(deleteResponse, async (c) =>
      c.json(await service.delete(c.req.valid("param").response_id, principalOf(c)), 200),
    )
    .openapi(cancelResponse, async (c) =>
      c.json(await service.cancel(c.req.valid("param").response_id, principalOf(c)), 200),
    )
    .openapi(listInputItems, async (c) => {
      const page = await service.listInputItems(
        c.req.valid("param").response_id,
        c.req.valid("query"),
        principalOf(c),
      );
      return c.json(
        listPage(page.data, page.hasMore, (item) => item.id),
        200,
      );
    });
}
