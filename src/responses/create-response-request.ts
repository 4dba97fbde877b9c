/**
 * `POST /v1/responses` body, strict at our door (STYLE.md "Validation"): unknown parameters → 400.
 * Field list: reference openai-responses-mcp.md §4.2 and PRODUCT.md §3. Parameters Patchbay does not
 * act on (`reasoning`, `service_tier`, `prompt_cache_key`, …) are accepted and echoed where the
 * Response object has them.
 */
import { z } from "zod";
import { InputItemSchema } from "./input-item-schema.js";
import { ToolSchema } from "./tool-schema.js";

const ToolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.strictObject({ type: z.literal("function"), name: z.string().min(1) }),
  z.strictObject({
    type: z.literal("mcp"),
    server_label: z.string().min(1),
    name: z.string().min(1).nullish(),
  }),
]);

const TextFormatSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text") }),
  z.strictObject({ type: z.literal("json_object") }),
  z.strictObject({
    type: z.literal("json_schema"),
    name: z.string().min(1).max(64),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullish(),
  }),
]);

/**
 * zod drops an own `__proto__` key silently; refuse it before the record parses instead of losing
 * it (found by fuzzing). A preprocess step, so the document generator describes the record.
 */
export const MetadataSchema = z.preprocess(
  (value, context) => {
    if (typeof value === "object" && value !== null && Object.hasOwn(value, "__proto__")) {
      context.addIssue({ code: "custom", message: "'__proto__' is not allowed as a metadata key" });
    }
    return value;
  },
  z
    .record(z.string().max(64), z.string().max(512))
    .refine((value) => Object.keys(value).length <= 16, "metadata may hold at most 16 pairs"),
);

export const CreateResponseRequestSchema = z.strictObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(InputItemSchema)]),
  instructions: z.string().nullish(),
  tools: z.array(ToolSchema).optional(),
  tool_choice: ToolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().nullish(),
  max_tool_calls: z.int().min(1).nullish(),
  max_output_tokens: z.int().min(1).nullish(),
  previous_response_id: z.string().min(1).nullish(),
  conversation: z.union([z.string(), z.strictObject({ id: z.string() })]).nullish(),
  store: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.strictObject({ include_obfuscation: z.boolean().optional() }).nullish(),
  background: z.boolean().nullish(),
  include: z.array(z.string()).nullish(),
  metadata: MetadataSchema.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_logprobs: z.int().min(0).max(20).nullish(),
  text: z
    .strictObject({
      format: TextFormatSchema.optional(),
      verbosity: z.enum(["low", "medium", "high"]).nullish(),
    })
    .nullish(),
  truncation: z.enum(["auto", "disabled"]).nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_retention: z.enum(["in_memory", "24h"]).nullish(),
  service_tier: z.enum(["auto", "default", "flex", "scale", "priority"]).nullish(),
  reasoning: z
    .strictObject({
      effort: z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]).nullish(),
      summary: z.enum(["auto", "concise", "detailed"]).nullish(),
      generate_summary: z.enum(["auto", "concise", "detailed"]).nullish(),
    })
    .nullish(),
});

export type CreateResponseRequest = z.infer<typeof CreateResponseRequestSchema>;
