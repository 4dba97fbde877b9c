/**
 * Builders of typed sample records for the `ResponseStore` contract: minimal by default, plus one
 * rich record covering every item kind, so adapters are tested on realistic JSON.
 */
import { randomUUID } from "node:crypto";
import type {
  ConversationItem,
  InputMessageItem,
  OutputMessage,
  ResponseObject,
} from "../../src/responses/response-types.js";
import type { Owner } from "../../src/store/owner.js";
import type { StoredResponse } from "../../src/store/response-store.js";

/** A prefixed random id, unique even when adapters share one database across test runs. */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll("-", "")}`;
}

function sampleResponse(overrides: Partial<ResponseObject> = {}): ResponseObject {
  return {
    id: newId("resp"),
    object: "response",
    created_at: 1_760_000_000,
    completed_at: null,
    status: "completed",
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    max_tool_calls: null,
    model: "scripted/model",
    output: [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: "default",
    store: true,
    temperature: null,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_logprobs: null,
    top_p: null,
    truncation: "disabled",
    usage: null,
    user: null,
    safety_identifier: null,
    prompt_cache_key: null,
    metadata: {},
    conversation: null,
    ...overrides,
  };
}

function userMessage(text: string): InputMessageItem {
  return {
    type: "message",
    id: newId("msg"),
    role: "user",
    status: "completed",
    content: [{ type: "input_text", text }],
  };
}

/** An assistant message: valid both as an output item and as a stored input item. */
export function assistantMessage(text: string): OutputMessage {
  return {
    type: "message",
    id: newId("msg"),
    role: "assistant",
    status: "completed",
    content: [{ type: "output_text", text, annotations: [], logprobs: [] }],
  };
}

/** `count` user messages whose text is `label 1`, `label 2`, … in order. */
export function sampleItems(count: number, label = "item"): ConversationItem[] {
  return Array.from({ length: count }, (_, index) => userMessage(`${label} ${index + 1}`));
}

/** A minimal response with `itemCount` input items; `overrides` set response fields. */
export function sampleRecord(
  itemCount: number,
  overrides: Partial<ResponseObject> = {},
  owner: Owner = { key: null, user: null },
): StoredResponse {
  return { response: sampleResponse(overrides), inputItems: sampleItems(itemCount), owner };
}

/** A response exercising nesting, nulls, unicode and every kind of item a chain can carry. */
export function richRecord(): StoredResponse {
  const approvalRequestId = newId("mcpr");
  const response = sampleResponse({
    previous_response_id: newId("resp"),
    completed_at: 1_760_000_042,
    instructions: "Réponds en français 🌍",
    temperature: 0.7,
    metadata: { tenant: "acme", 'quoted"key': "line\nbreak" },
    tools: [
      {
        type: "mcp",
        server_label: "docs",
        connector_id: "connector_docs",
        allowed_tools: { tool_names: ["search"], read_only: true },
        headers: null,
        require_approval: { never: { tool_names: ["search"] } },
        server_description: null,
      },
    ],
    output: [
      {
        type: "mcp_list_tools",
        id: newId("mcpl"),
        server_label: "docs",
        tools: [
          {
            name: "search",
            description: null,
            input_schema: { type: "object", properties: {} },
            annotations: { read_only: true },
          },
        ],
        error: null,
      },
      {
        type: "mcp_call",
        id: newId("mcp"),
        server_label: "docs",
        name: "search",
        arguments: '{"q":"naïve"}',
        output: null,
        error: { type: "http_error", code: 503, message: "Service Unavailable" },
        status: "failed",
        approval_request_id: approvalRequestId,
      },
      assistantMessage("Voilà — done."),
    ],
    usage: {
      input_tokens: 12,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 17,
    },
  });
  const inputItems: ConversationItem[] = [
    userMessage("Search the docs for ‘naïve’ ✓"),
    {
      type: "mcp_approval_request",
      id: approvalRequestId,
      server_label: "docs",
      name: "search",
      arguments: "{}",
    },
    {
      type: "mcp_approval_response",
      id: newId("mcpa"),
      approval_request_id: approvalRequestId,
      approve: true,
      reason: null,
    },
    {
      type: "function_call_output",
      id: newId("fco"),
      call_id: "call_1",
      output: "42",
      status: "completed",
    },
  ];
  return { response, inputItems, owner: { key: "app", user: "ada" } };
}
