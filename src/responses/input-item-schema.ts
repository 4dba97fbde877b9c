/**
 * Input items accepted by `POST /v1/responses` (reference §2, §4.2). Items a client got from a
 * previous `output` can be sent back as they are, so every field Patchbay emits is accepted.
 */
import { z } from "zod";

const InputTextSchema = z.strictObject({ type: z.literal("input_text"), text: z.string() });
const InputImageSchema = z.strictObject({
  type: z.literal("input_image"),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(["low", "high", "auto"]).nullish(),
});
const InputFileSchema = z.strictObject({
  type: z.literal("input_file"),
  file_id: z.string().nullish(),
  file_data: z.string().optional(),
  filename: z.string().optional(),
  file_url: z.string().optional(),
});
const OutputTextSchema = z.strictObject({
  type: z.literal("output_text"),
  text: z.string(),
  annotations: z.array(z.unknown()).optional(),
  logprobs: z.array(z.unknown()).nullish(),
});
const RefusalSchema = z.strictObject({ type: z.literal("refusal"), refusal: z.string() });

export const InputContentSchema = z.discriminatedUnion("type", [
  InputTextSchema,
  InputImageSchema,
  InputFileSchema,
  OutputTextSchema,
  RefusalSchema,
]);

const MessageItemSchema = z.strictObject({
  type: z.literal("message"),
  id: z.string().nullish(),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), z.array(InputContentSchema)]),
  status: z.enum(["in_progress", "completed", "incomplete"]).nullish(),
  phase: z.enum(["commentary", "final_answer"]).nullish(),
});

/**
 * A reasoning item sent back: Patchbay's own (its text in `content`) or another server's (a
 * `summary`, an `encrypted_content` Patchbay cannot read). Only `content` reaches the model.
 */
export const ReasoningItemSchema = z.strictObject({
  type: z.literal("reasoning"),
  id: z.string().min(1).nullish(),
  summary: z.array(z.strictObject({ type: z.literal("summary_text"), text: z.string() })),
  content: z
    .array(z.strictObject({ type: z.literal("reasoning_text"), text: z.string() }))
    .nullish(),
  encrypted_content: z.string().nullish(),
  status: z.enum(["in_progress", "completed", "incomplete"]).nullish(),
});

const FunctionCallSchema = z.strictObject({
  type: z.literal("function_call"),
  id: z.string().nullish(),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  status: z.enum(["in_progress", "completed", "incomplete"]).nullish(),
});

const FunctionCallOutputSchema = z.strictObject({
  type: z.literal("function_call_output"),
  id: z.string().nullish(),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(InputContentSchema)]),
  status: z.enum(["in_progress", "completed", "incomplete"]).nullish(),
});

const McpListToolsSchema = z.strictObject({
  type: z.literal("mcp_list_tools"),
  id: z.string().min(1),
  server_label: z.string().min(1),
  tools: z.array(
    z.strictObject({
      name: z.string(),
      description: z.string().nullish(),
      input_schema: z.record(z.string(), z.unknown()),
      annotations: z.record(z.string(), z.unknown()).nullish(),
    }),
  ),
  error: z.string().nullish(),
});

const McpToolCallErrorSchema = z.union([
  z.string(),
  z.looseObject({ type: z.literal("mcp_protocol_error"), code: z.number(), message: z.string() }),
  z.looseObject({ type: z.literal("mcp_tool_execution_error"), content: z.array(z.unknown()) }),
  z.looseObject({ type: z.literal("http_error"), code: z.number(), message: z.string() }),
]);

const McpCallSchema = z.strictObject({
  type: z.literal("mcp_call"),
  id: z.string().min(1),
  server_label: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  output: z.string().nullish(),
  error: McpToolCallErrorSchema.nullish(),
  status: z.enum(["in_progress", "completed", "incomplete", "calling", "failed"]).nullish(),
  approval_request_id: z.string().nullish(),
});

const McpApprovalRequestSchema = z.strictObject({
  type: z.literal("mcp_approval_request"),
  id: z.string().min(1),
  server_label: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
});

const McpApprovalResponseSchema = z.strictObject({
  type: z.literal("mcp_approval_response"),
  id: z.string().nullish(),
  approval_request_id: z.string().min(1),
  approve: z.boolean(),
  reason: z.string().nullish(),
});

/** An item without `type` is an easy input message (`{role, content}`), as in OpenAI's API. */
function defaultToMessage(value: unknown): unknown {
  if (typeof value === "object" && value !== null && !Array.isArray(value) && !("type" in value)) {
    return { ...value, type: "message" };
  }
  return value;
}

const ItemUnionSchema = z.discriminatedUnion("type", [
  MessageItemSchema,
  ReasoningItemSchema,
  FunctionCallSchema,
  FunctionCallOutputSchema,
  McpListToolsSchema,
  McpCallSchema,
  McpApprovalRequestSchema,
  McpApprovalResponseSchema,
]);

export const InputItemSchema = z.preprocess(defaultToMessage, ItemUnionSchema);

export type InputItem = z.infer<typeof InputItemSchema>;
export type InputContentInput = z.infer<typeof InputContentSchema>;
