/**
 * Valid `POST /v1/responses` bodies the mutation fuzzers start from (PRODUCT.md §3): between them
 * they set every accepted field and every input item kind, so a mutation can land anywhere.
 */
import type { JsonObject, JsonTree } from "./json-tree.js";

export const FUZZ_MODEL = "fuzz-model";

/**
 * Keys whose values the request schema takes as free-form JSON (records of unknown, and the loose
 * `mcp_call.error`): any shape is valid there, so type and unknown-key mutations skip them.
 */
export const FREE_FORM_KEYS: ReadonlySet<string> = new Set([
  "parameters",
  "schema",
  "input_schema",
  "annotations",
  "error",
]);

/** Records whose keys are the caller's: a new key there is not an unknown parameter. */
export const OPEN_KEY_OBJECTS: ReadonlySet<string> = new Set(["metadata", "headers"]);

const lookupTool: JsonObject = {
  type: "function",
  name: "lookup",
  description: "Looks a word up.",
  parameters: { type: "object", properties: { word: { type: "string" } }, required: ["word"] },
  strict: false,
};

/** Every field and item kind at once; JSON answer. */
const everything: JsonObject = {
  model: FUZZ_MODEL,
  input: [
    { role: "user", content: "Hello" },
    {
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: "Look at this" },
        { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" },
        { type: "input_file", file_data: "aGVsbG8=", filename: "a.txt" },
      ],
    },
    {
      type: "reasoning",
      id: "rs_fuzz",
      summary: [{ type: "summary_text", text: "Thought about it" }],
      content: [{ type: "reasoning_text", text: "Earlier reasoning" }],
      encrypted_content: null,
      status: "completed",
    },
    {
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: "Earlier answer", annotations: [] }],
      status: "completed",
    },
    { type: "function_call", call_id: "call_1", name: "lookup", arguments: '{"word":"x"}' },
    { type: "function_call_output", call_id: "call_1", output: "a letter" },
    { role: "developer", content: "Answer in one word." },
  ],
  instructions: "Be brief.",
  tools: [lookupTool],
  tool_choice: "auto",
  parallel_tool_calls: true,
  max_output_tokens: 256,
  store: true,
  metadata: { team: "fuzz", case: "1" },
  temperature: 0.7,
  top_p: 0.9,
  top_logprobs: 0,
  text: {
    format: { type: "json_schema", name: "answer", schema: { type: "object" }, strict: true },
    verbosity: "low",
  },
  truncation: "disabled",
  user: "fuzzer",
  safety_identifier: "fuzz-1",
  prompt_cache_key: "fuzz",
  include: ["message.output_text.logprobs"],
  reasoning: { effort: "low", summary: "auto" },
  service_tier: "auto",
};

/** Streaming, with the optional stream fields. */
const streaming: JsonObject = {
  model: FUZZ_MODEL,
  input: "Hi",
  stream: true,
  stream_options: { include_obfuscation: false },
  instructions: null,
  text: { format: { type: "json_object" } },
};

/** Background, answered with a `queued` Response at once. */
const background: JsonObject = {
  model: FUZZ_MODEL,
  input: [{ role: "user", content: [{ type: "input_text", text: "Later" }] }],
  background: true,
  store: true,
  max_tool_calls: 3,
};

/** MCP history items replayed as input, without any mcp tool in this request. */
const mcpHistory: JsonObject = {
  model: FUZZ_MODEL,
  input: [
    {
      type: "mcp_list_tools",
      id: "mcpl_fuzz",
      server_label: "fixture",
      tools: [
        {
          name: "echo",
          description: "Echoes",
          input_schema: { type: "object", properties: { text: { type: "string" } } },
          annotations: { read_only: true },
        },
      ],
    },
    {
      type: "mcp_call",
      id: "mcp_fuzz_1",
      server_label: "fixture",
      name: "echo",
      arguments: '{"text":"a"}',
      output: "a",
      status: "completed",
    },
    {
      type: "mcp_call",
      id: "mcp_fuzz_2",
      server_label: "fixture",
      name: "echo",
      arguments: "{}",
      error: { type: "mcp_tool_execution_error", content: [{ type: "text", text: "boom" }] },
    },
    {
      type: "mcp_approval_request",
      id: "mcpr_fuzz",
      server_label: "fixture",
      name: "echo",
      arguments: "{}",
    },
    { role: "user", content: "And now?" },
  ],
  tool_choice: "none",
};

/** Continues a stored response and forces a function tool. */
function continuation(previousResponseId: string): JsonObject {
  return {
    model: FUZZ_MODEL,
    input: [{ type: "message", role: "user", content: "Again" }],
    previous_response_id: previousResponseId,
    tools: [lookupTool],
    tool_choice: { type: "function", name: "lookup" },
    temperature: 0,
    metadata: null,
  };
}

/** The valid bases; `previousResponseId` names a response stored before fuzzing starts. */
export function validRequests(previousResponseId: string): JsonTree[] {
  return [everything, streaming, background, mcpHistory, continuation(previousResponseId)];
}
