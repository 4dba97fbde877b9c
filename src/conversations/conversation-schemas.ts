/**
 * Request bodies and queries of the Conversations API (issue 14 §1; reference
 * openai-responses-mcp.md §4.3), strict at our door like every body (STYLE.md "Validation"). Items
 * are exactly what `POST /v1/responses` accepts as `input` items.
 */
import { z } from "zod";
import { MetadataSchema } from "../responses/create-response-request.js";
import { InputItemSchema } from "../responses/input-item-schema.js";

/** "You may add up to 20 items at a time" (OpenAI's `items` on create and on `…/items`). */
export const MAX_ITEMS_PER_REQUEST = 20;

const ItemsSchema = z
  .array(InputItemSchema)
  .max(MAX_ITEMS_PER_REQUEST, `at most ${MAX_ITEMS_PER_REQUEST} items may be added at a time`);

export const CreateConversationRequestSchema = z.strictObject({
  items: ItemsSchema.nullish(),
  metadata: MetadataSchema.nullish(),
});
export type CreateConversationRequest = z.infer<typeof CreateConversationRequestSchema>;

export const UpdateConversationRequestSchema = z.strictObject({
  metadata: MetadataSchema.nullable(),
});

export const AddItemsRequestSchema = z.strictObject({
  items: ItemsSchema.min(1, "at least one item is required"),
});

/**
 * OpenAI's `include` values. Patchbay has none of the data they add (no web search, file search,
 * code interpreter, computer use, logprobs or encrypted reasoning), so each is accepted and adds
 * nothing; an unknown value is a 400.
 */
export const INCLUDABLE = [
  "file_search_call.results",
  "web_search_call.results",
  "web_search_call.action.sources",
  "message.input_image.image_url",
  "computer_call_output.output.image_url",
  "code_interpreter_call.outputs",
  "reasoning.encrypted_content",
  "message.output_text.logprobs",
] as const;

const IncludableSchema = z.enum(INCLUDABLE);

/** One value or repeated (`include=a&include=b`); the openai SDKs send `include[]=a`. */
const IncludeSchema = z
  .union([IncludableSchema, z.array(IncludableSchema)])
  .optional()
  .meta({ description: "Accepted for compatibility; Patchbay stores nothing it would add." });

export const IncludeQuerySchema = z.object({
  include: IncludeSchema,
  "include[]": IncludeSchema,
});
