/**
 * Request input → conversation items with ids, as stored and listed by `input_items`
 * (reference §4.3). A string input is one user message.
 */
import { newId } from "./ids.js";
import type { InputContentInput, InputItem } from "./input-item-schema.js";
import type { ConversationItem, InputContent, OutputContent } from "./response-types.js";

export function toConversationItems(input: string | InputItem[]): ConversationItem[] {
  if (typeof input === "string") {
    return [
      {
        type: "message",
        id: newId("msg"),
        role: "user",
        status: "completed",
        content: [{ type: "input_text", text: input }],
      },
    ];
  }
  return input.map(toConversationItem);
}

function toConversationItem(item: InputItem): ConversationItem {
  switch (item.type) {
    case "message": {
      const id = item.id ?? newId("msg");
      if (item.role === "assistant") {
        const content: OutputContent[] =
          typeof item.content === "string"
            ? [outputText(item.content)]
            : item.content.flatMap(toOutputContent);
        return { type: "message", id, role: "assistant", status: "completed", content };
      }
      const content: InputContent[] =
        typeof item.content === "string"
          ? [{ type: "input_text", text: item.content }]
          : item.content.map(toInputContent);
      return { type: "message", id, role: item.role, status: "completed", content };
    }
    case "reasoning":
      return {
        type: "reasoning",
        id: item.id ?? newId("rs"),
        summary: item.summary,
        content: item.content ?? [],
        encrypted_content: item.encrypted_content ?? null,
        status: item.status ?? "completed",
      };
    case "function_call":
      return {
        type: "function_call",
        id: item.id ?? newId("fc"),
        call_id: item.call_id,
        name: item.name,
        arguments: item.arguments,
        status: "completed",
      };
    case "function_call_output":
      return {
        type: "function_call_output",
        id: item.id ?? newId("fco"),
        call_id: item.call_id,
        output:
          typeof item.output === "string" ? item.output : item.output.map(contentText).join(""),
        status: "completed",
      };
    case "mcp_list_tools":
      return {
        type: "mcp_list_tools",
        id: item.id,
        server_label: item.server_label,
        error: item.error ?? null,
        tools: item.tools.map((tool) => ({
          name: tool.name,
          description: tool.description ?? null,
          input_schema: tool.input_schema,
          annotations:
            typeof tool.annotations?.read_only === "boolean"
              ? { read_only: tool.annotations.read_only }
              : null,
        })),
      };
    case "mcp_call":
      return {
        type: "mcp_call",
        id: item.id,
        server_label: item.server_label,
        name: item.name,
        arguments: item.arguments,
        output: item.output ?? null,
        error:
          item.error == null
            ? null
            : typeof item.error === "string"
              ? { type: "http_error", code: 500, message: item.error }
              : item.error,
        status: item.status ?? (item.error == null ? "completed" : "failed"),
        approval_request_id: item.approval_request_id ?? null,
      };
    case "mcp_approval_request":
      return {
        type: "mcp_approval_request",
        id: item.id,
        server_label: item.server_label,
        name: item.name,
        arguments: item.arguments,
      };
    case "mcp_approval_response":
      return {
        type: "mcp_approval_response",
        id: item.id ?? newId("mcpa"),
        approval_request_id: item.approval_request_id,
        approve: item.approve,
        reason: item.reason ?? null,
      };
  }
}

/** User-side content; assistant-only parts (output text, refusals) are read as their text. */
function toInputContent(part: InputContentInput): InputContent {
  switch (part.type) {
    case "input_text":
      return part;
    case "input_image":
      return {
        type: "input_image",
        image_url: part.image_url ?? null,
        file_id: part.file_id ?? null,
        detail: part.detail ?? "auto",
      };
    case "input_file":
      return {
        type: "input_file",
        file_id: part.file_id ?? null,
        ...(part.file_data !== undefined ? { file_data: part.file_data } : {}),
        ...(part.filename !== undefined ? { filename: part.filename } : {}),
        ...(part.file_url !== undefined ? { file_url: part.file_url } : {}),
      };
    case "output_text":
      return { type: "input_text", text: part.text };
    case "refusal":
      return { type: "input_text", text: part.refusal };
  }
}

/** Assistant history: text parts become `output_text`; other inputs carry no assistant text. */
function toOutputContent(part: InputContentInput): OutputContent[] {
  switch (part.type) {
    case "input_text":
    case "output_text":
      return [outputText(part.text)];
    case "refusal":
      return [part];
    case "input_image":
    case "input_file":
      return [];
  }
}

function outputText(text: string): OutputContent {
  return { type: "output_text", text, annotations: [], logprobs: [] };
}

function contentText(part: InputContentInput): string {
  return part.type === "input_text" || part.type === "output_text" ? part.text : "";
}
