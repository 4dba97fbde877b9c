/**
 * What the `/v1/conversations` routes take and answer, for their `createRoute` declarations:
 * OpenAI's Conversations API (https://platform.openai.com/docs/api-reference/conversations).
 */
import { z } from "zod";
import {
  AddItemsRequestSchema,
  CreateConversationRequestSchema,
  IncludeQuerySchema,
  UpdateConversationRequestSchema,
} from "../conversations/conversation-schemas.js";
import { deletedObject, listOf } from "./openapi-route-parts.js";
import { PageLimitSchema } from "./page-limit-schema.js";

const OPENAI_CONVERSATIONS = "https://platform.openai.com/docs/api-reference/conversations";

export const CreateConversationBodySchema = CreateConversationRequestSchema.meta({
  id: "CreateConversationRequest",
  description: `OpenAI's create-conversation body: \`metadata\` and up to 20 initial \`items\` (${OPENAI_CONVERSATIONS}/create).`,
});

export const UpdateConversationBodySchema = UpdateConversationRequestSchema.meta({
  id: "UpdateConversationRequest",
  description: "The conversation's new `metadata` (replaces the old; `null` clears it).",
});

export const AddItemsBodySchema = AddItemsRequestSchema.meta({
  id: "AddConversationItemsRequest",
  description: "Up to 20 items, as `POST /v1/responses` accepts them in `input`.",
});

export const ConversationIdParamsSchema = z.object({
  conversation_id: z.string().meta({ description: "A conversation id (`conv_…`)." }),
});

export const ConversationItemParamsSchema = ConversationIdParamsSchema.extend({
  item_id: z.string().meta({ description: "An item id." }),
});

export const ItemsQuerySchema = IncludeQuerySchema;

export const ListItemsQuerySchema = IncludeQuerySchema.extend({
  limit: PageLimitSchema,
  order: z.enum(["asc", "desc"]).default("desc"),
  after: z.string().min(1).optional(),
});

export const ConversationSchema = z
  .strictObject({
    id: z.string(),
    object: z.literal("conversation"),
    created_at: z.number(),
    metadata: z.record(z.string(), z.string()),
  })
  .meta({ id: "Conversation", description: `${OPENAI_CONVERSATIONS}/object` });

const ConversationItemSchema = z.looseObject({ id: z.string(), type: z.string() }).meta({
  id: "ConversationItem",
  description: `A conversation item: one of the input or output item types (${OPENAI_CONVERSATIONS}/list-items).`,
});

export { ConversationItemSchema };

export const ConversationItemListSchema = listOf(
  ConversationItemSchema,
  "ConversationItemList",
  "A page of a conversation's items, or the items just added.",
);

export const ConversationDeletedSchema = deletedObject(
  "conversation.deleted",
  "ConversationDeleted",
);
