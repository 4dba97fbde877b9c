/**
 * `/v1/conversations` routes (OpenAI's Conversations API, issue 14 §1). Thin: validate, call the
 * service with the caller's principal, answer JSON. Each route is one declaration next to its
 * handler (ADR 0017).
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { ConversationsService } from "../conversations/conversations-service.js";
import type { AppEnv } from "./app-env.js";
import { principalOf } from "./authenticate.js";
import {
  AddItemsBodySchema,
  ConversationDeletedSchema,
  ConversationIdParamsSchema,
  ConversationItemListSchema,
  ConversationItemParamsSchema,
  ConversationItemSchema,
  ConversationSchema,
  CreateConversationBodySchema,
  ItemsQuerySchema,
  ListItemsQuerySchema,
  UpdateConversationBodySchema,
} from "./conversations-schemas.js";
import { createRouter } from "./create-router.js";
import { jsonBody, readJsonBody } from "./json-body.js";
import { listPage } from "./list-page.js";
import { errorResponses, jsonResponse, USER_KEY } from "./openapi-route-parts.js";

const common = { tags: ["Conversations"], security: USER_KEY };
const conversationAnswer = jsonResponse(ConversationSchema, "The conversation.");

const createConversation = createRoute({
  ...common,
  method: "post",
  path: "/",
  operationId: "createConversation",
  summary: "Create a conversation",
  middleware: [readJsonBody],
  request: { body: jsonBody(CreateConversationBodySchema, "Metadata and initial items.") },
  responses: { 200: conversationAnswer, ...errorResponses(400, 413, 503) },
});

const getConversation = createRoute({
  ...common,
  method: "get",
  path: "/{conversation_id}",
  operationId: "getConversation",
  summary: "Retrieve a conversation",
  request: { params: ConversationIdParamsSchema },
  responses: { 200: conversationAnswer, ...errorResponses(404, 503) },
});

const updateConversation = createRoute({
  ...common,
  method: "post",
  path: "/{conversation_id}",
  operationId: "updateConversation",
  summary: "Update a conversation's metadata",
  middleware: [readJsonBody],
  request: {
    params: ConversationIdParamsSchema,
    body: jsonBody(UpdateConversationBodySchema, "The new metadata."),
  },
  responses: { 200: conversationAnswer, ...errorResponses(400, 404, 413, 503) },
});

const deleteConversation = createRoute({
  ...common,
  method: "delete",
  path: "/{conversation_id}",
  operationId: "deleteConversation",
  summary: "Delete a conversation and its items",
  request: { params: ConversationIdParamsSchema },
  responses: {
    200: jsonResponse(ConversationDeletedSchema, "Deleted."),
    ...errorResponses(404, 503),
  },
});

const addItems = createRoute({
  ...common,
  method: "post",
  path: "/{conversation_id}/items",
  operationId: "createConversationItems",
  summary: "Add items to a conversation",
  description:
    "Appends the items, in order, after every item already there; answers them with their ids.",
  middleware: [readJsonBody],
  request: {
    params: ConversationIdParamsSchema,
    query: ItemsQuerySchema,
    body: jsonBody(AddItemsBodySchema, "The items to add."),
  },
  responses: {
    200: jsonResponse(ConversationItemListSchema, "The items added."),
    ...errorResponses(400, 404, 413, 503),
  },
});

const listItems = createRoute({
  ...common,
  method: "get",
  path: "/{conversation_id}/items",
  operationId: "listConversationItems",
  summary: "List a conversation's items",
  description: "Newest first unless `order=asc`; `after` is an item id.",
  request: { params: ConversationIdParamsSchema, query: ListItemsQuerySchema },
  responses: {
    200: jsonResponse(ConversationItemListSchema, "A page of items."),
    ...errorResponses(400, 404, 503),
  },
});

const getItem = createRoute({
  ...common,
  method: "get",
  path: "/{conversation_id}/items/{item_id}",
  operationId: "getConversationItem",
  summary: "Retrieve a conversation item",
  request: { params: ConversationItemParamsSchema, query: ItemsQuerySchema },
  responses: {
    200: jsonResponse(ConversationItemSchema, "The item."),
    ...errorResponses(400, 404, 503),
  },
});

const deleteItem = createRoute({
  ...common,
  method: "delete",
  path: "/{conversation_id}/items/{item_id}",
  operationId: "deleteConversationItem",
  summary: "Delete a conversation item",
  description: "Answers the conversation, as OpenAI does.",
  request: { params: ConversationItemParamsSchema },
  responses: { 200: conversationAnswer, ...errorResponses(404, 503) },
});

export function conversationsRoutes(service: ConversationsService): OpenAPIHono<AppEnv> {
  return createRouter()
    .openapi(createConversation, async (c) =>
      c.json(await service.create(c.req.valid("json"), principalOf(c)), 200),
    )
    .openapi(getConversation, async (c) =>
      c.json(await service.retrieve(c.req.valid("param").conversation_id, principalOf(c)), 200),
    )
    .openapi(updateConversation, async (c) => {
      const { conversation_id: id } = c.req.valid("param");
      const { metadata } = c.req.valid("json");
      return c.json(await service.update(id, metadata, principalOf(c)), 200);
    })
    .openapi(deleteConversation, async (c) =>
      c.json(await service.delete(c.req.valid("param").conversation_id, principalOf(c)), 200),
    )
    .openapi(addItems, async (c) => {
      const { conversation_id: id } = c.req.valid("param");
      const added = await service.addItems(id, c.req.valid("json").items, principalOf(c));
      return c.json(
        listPage(added, false, (item) => item.id),
        200,
      );
    })
    .openapi(listItems, async (c) => {
      const { conversation_id: id } = c.req.valid("param");
      const { limit, order, after } = c.req.valid("query");
      const page = await service.listItems(id, { limit, order, after }, principalOf(c));
      return c.json(
        listPage(page.data, page.hasMore, (item) => item.id),
        200,
      );
    })
    .openapi(getItem, async (c) => {
      const { conversation_id: id, item_id: itemId } = c.req.valid("param");
      return c.json(await service.getItem(id, itemId, principalOf(c)), 200);
    })
    .openapi(deleteItem, async (c) => {
      const { conversation_id: id, item_id: itemId } = c.req.valid("param");
      return c.json(await service.deleteItem(id, itemId, principalOf(c)), 200);
    });
}
