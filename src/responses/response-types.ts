/**
 * Wire types of the Responses API as Patchbay emits them (reference openai-responses-mcp.md §2–§4).
 * Spelling is OpenAI's. `test/types/openai-compat.test-d.ts` checks these against the `openai`
 * package's types at compile time, so a drift from OpenAI's shapes breaks the build.
 */
import type { ListedTool } from "../connectors/to-listed-tool.js";
import type { McpToolCallError } from "../mcp/mcp-client.js";
import type { EchoedTool } from "./tool-types.js";

export type ResponseStatus =
  "completed" | "failed" | "in_progress" | "cancelled" | "queued" | "incomplete";

export interface OutputText {
  type: "output_text";
  text: string;
  annotations: never[];
  logprobs: never[];
}

export interface OutputRefusal {
  type: "refusal";
  refusal: string;
}

export type OutputContent = OutputText | OutputRefusal;

/** A reasoning item's text, as open-weight models give it (not a summary). */
export interface ReasoningText {
  type: "reasoning_text";
  text: string;
}

export interface ReasoningSummaryText {
  type: "summary_text";
  text: string;
}

/**
 * A model turn's reasoning, first among its turn's items (ADR 0020). Patchbay fills `content`
 * and leaves `summary` empty, as OpenAI's open-weight server does. `encrypted_content` is null,
 * as OpenAI sends it unless asked for: Patchbay encrypts nothing, but keeps one a client sent.
 */
export interface ReasoningItem {
  type: "reasoning";
  id: string;
  summary: ReasoningSummaryText[];
  content: ReasoningText[];
  encrypted_content: string | null;
  status: "in_progress" | "completed" | "incomplete";
}

export interface OutputMessage {
  type: "message";
  id: string;
  role: "assistant";
  status: "in_progress" | "completed" | "incomplete";
  content: OutputContent[];
}

export interface FunctionCallItem {
  type: "function_call";
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: "in_progress" | "completed" | "incomplete";
}

/** A listed MCP tool, as `toListedTool` makes it. */
export type McpListedTool = ListedTool;

export interface McpListToolsItem {
  type: "mcp_list_tools";
  id: string;
  server_label: string;
  tools: McpListedTool[];
  error: string | null;
}

export type { McpToolCallError };

export interface McpCallItem {
  type: "mcp_call";
  id: string;
  server_label: string;
  name: string;
  arguments: string;
  output: string | null;
  error: McpToolCallError | null;
  status: "in_progress" | "completed" | "incomplete" | "calling" | "failed";
  approval_request_id: string | null;
}

export interface McpApprovalRequestItem {
  type: "mcp_approval_request";
  id: string;
  server_label: string;
  name: string;
  arguments: string;
}

export type OutputItem =
  | ReasoningItem
  | OutputMessage
  | FunctionCallItem
  | McpListToolsItem
  | McpCallItem
  | McpApprovalRequestItem;

/** Input content parts as stored and listed by `input_items`. */
export type InputContent =
  | { type: "input_text"; text: string }
  | {
      type: "input_image";
      image_url: string | null;
      file_id: string | null;
      detail: "low" | "high" | "auto";
    }
  | {
      type: "input_file";
      file_id: string | null;
      file_data?: string;
      filename?: string;
      file_url?: string;
    };

export interface InputMessageItem {
  type: "message";
  id: string;
  role: "user" | "system" | "developer";
  status: "completed";
  content: InputContent[];
}

export interface FunctionCallOutputItem {
  type: "function_call_output";
  id: string;
  call_id: string;
  output: string;
  status: "completed";
}

export interface McpApprovalResponseItem {
  type: "mcp_approval_response";
  id: string;
  approval_request_id: string;
  approve: boolean;
  reason: string | null;
}

/** Every item a conversation can hold, each with its id: what `input_items` lists. */
export type ConversationItem =
  | InputMessageItem
  | ReasoningItem
  | OutputMessage
  | FunctionCallItem
  | FunctionCallOutputItem
  | McpListToolsItem
  | McpCallItem
  | McpApprovalRequestItem
  | McpApprovalResponseItem;

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseErrorCode = "server_error" | "rate_limit_exceeded" | "invalid_prompt";

export interface ResponseError {
  code: ResponseErrorCode;
  message: string;
}

export type ToolChoice =
  | "none"
  | "auto"
  | "required"
  | { type: "function"; name: string }
  | { type: "mcp"; server_label: string; name?: string | null | undefined };

export interface TextConfig {
  format:
    | { type: "text" }
    | { type: "json_object" }
    | {
        type: "json_schema";
        name: string;
        schema: Record<string, unknown>;
        description?: string;
        strict?: boolean | null;
      };
  verbosity?: "low" | "medium" | "high" | null;
}

/** `reasoning` as requested, echoed: Patchbay does not pass it on (ADR 0020). */
export interface ReasoningConfig {
  effort: "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max" | null;
  summary: "auto" | "concise" | "detailed" | null;
}

/** The Response object; every key is present, `null` where unset (as OpenAI sends it). */
export interface ResponseObject {
  id: string;
  object: "response";
  created_at: number;
  completed_at: number | null;
  status: ResponseStatus;
  background: boolean;
  error: ResponseError | null;
  incomplete_details: { reason: "max_output_tokens" | "content_filter" } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  max_tool_calls: number | null;
  model: string;
  output: OutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  reasoning: ReasoningConfig;
  service_tier: "auto" | "default" | "flex" | "scale" | "priority" | null;
  store: boolean;
  temperature: number | null;
  text: TextConfig;
  tool_choice: ToolChoice;
  tools: EchoedTool[];
  top_logprobs: number | null;
  top_p: number | null;
  truncation: "auto" | "disabled";
  usage: ResponseUsage | null;
  user: string | null;
  safety_identifier: string | null;
  prompt_cache_key: string | null;
  metadata: Record<string, string>;
  /** The conversation this response belongs to (its items were prepended, its turn appended). */
  conversation: { id: string } | null;
}
