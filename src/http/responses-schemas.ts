/**
 * What the `/v1/responses` routes take and answer, for their `createRoute` declarations: OpenAI's
 * create-response body (validated), and the Response object, input items and event stream as the
 * document describes them (https://platform.openai.com/docs/api-reference/responses).
 */
import { z } from "zod";
import { CreateResponseRequestSchema } from "../responses/create-response-request.js";
import { deletedObject, listOf } from "./openapi-route-parts.js";
import { PageLimitSchema } from "./page-limit-schema.js";

const OPENAI_RESPONSES = "https://platform.openai.com/docs/api-reference/responses";

export const CreateResponseBodySchema = CreateResponseRequestSchema.meta({
  id: "CreateResponseRequest",
  description: `OpenAI's create-response body (${OPENAI_RESPONSES}/create); unknown parameters are a 400.`,
});

export const ResponseIdParamsSchema = z.object({
  response_id: z.string().meta({ description: "A response id (`resp_…`)." }),
});

export const RetrieveResponseQuerySchema = z.object({
  stream: z.string().optional().meta({
    description:
      "`true`: the events of a `background: true` response as server-sent events, replayed from the store and then followed live to the end (any other response: 400).",
  }),
  starting_after: z.coerce.number().int().min(-1).optional().meta({
    description: "With `stream=true`: only events whose `sequence_number` is greater.",
  }),
});

/** Llama Stack's `GET /v1/responses` query (its default page is 50). */
export const ListResponsesQuerySchema = z.object({
  limit: PageLimitSchema.unwrap().default(50),
  order: z.enum(["asc", "desc"]).default("desc"),
  after: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "A response id: the page starts after it." }),
  model: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "Only responses made with this `model`." }),
});

export const InputItemsQuerySchema = z.object({
  limit: PageLimitSchema,
  order: z.enum(["asc", "desc"]).default("desc"),
  after: z.string().min(1).optional(),
});

export const OpenAIResponseSchema = z
  .looseObject({
    id: z.string(),
    object: z.literal("response"),
    created_at: z.number(),
    status: z.enum(["completed", "failed", "in_progress", "cancelled", "queued", "incomplete"]),
    model: z.string(),
    output: z.array(z.looseObject({ type: z.string() })),
  })
  .meta({
    id: "OpenAIResponse",
    description: `OpenAI's Response object, field for field: ${OPENAI_RESPONSES}/object. MCP tools are echoed redacted (no \`authorization\`, \`headers: null\`, \`server_url\` reduced to \`scheme://host/<redacted>\`).`,
  });

export const ResponseEventStreamSchema = z.string().meta({
  id: "ResponseEventStream",
  description: `Server-sent events, \`event: <type>\` then \`data: <json>\`, exactly OpenAI's streaming events: ${OPENAI_RESPONSES}-streaming.`,
});

const InputItemSchema = z.looseObject({ id: z.string(), type: z.string() }).meta({
  id: "InputItem",
  description: `An input item as OpenAI lists it: ${OPENAI_RESPONSES}/input-items.`,
});

export const InputItemListSchema = listOf(
  InputItemSchema,
  "InputItemList",
  "A page of a response's input items.",
);

export const ResponseDeletedSchema = deletedObject("response", "ResponseDeleted");

const ResponseWithInputSchema = OpenAIResponseSchema.extend({
  input: z.array(InputItemSchema),
}).meta({
  id: "ResponseWithInput",
  description: "A stored Response object plus its `input` items, as Llama Stack lists them.",
});

export const ResponseListSchema = listOf(
  ResponseWithInputSchema,
  "ResponseList",
  "A page of stored responses.",
);
