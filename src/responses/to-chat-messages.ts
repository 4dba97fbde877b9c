/**
 * Conversation items → Chat Completions messages for the model (the inference edge).
 * `function_call`/`mcp_call` items become assistant `tool_calls`; their results become `tool`
 * messages. Each model turn is one assistant message followed by its results (`ChatTranscript`,
 * ADR 0014), so the live loop, `previous_response_id`, a client's own history and conversations
 * all replay the turns as the model made them: this is a pure function of the item list.
 * A reasoning item's text goes on its turn's message (for the current task only, ADR 0020).
 * `mcp_list_tools`, approval responses and unanswered approval requests carry nothing for the model.
 */
import type { ChatContentPart, ChatMessage } from "../inference/chat-model.js";
import { ChatTranscript } from "./chat-transcript.js";
import { turnOf } from "./ids.js";
import type {
  ConversationItem,
  InputContent,
  McpCallItem,
  OutputContent,
} from "./response-types.js";

/** Maps an MCP (server_label, tool name) to the function name the model sees. */
export type McpFunctionNamer = (serverLabel: string, toolName: string) => string;

export function toChatMessages(
  instructions: string | null,
  items: readonly ConversationItem[],
  mcpFunctionName: McpFunctionNamer,
): ChatMessage[] {
  const transcript = new ChatTranscript();
  if (instructions) transcript.add({ role: "system", content: instructions });

  /** An MCP call (or denied request) as the model made it: its tool call, then its result. */
  const addMcpExchange = (
    turn: string | null,
    item: { id: string; server_label: string; name: string; arguments: string },
    result: string,
  ): void => {
    const name = mcpFunctionName(item.server_label, item.name);
    const call = {
      id: item.id,
      type: "function" as const,
      function: { name, arguments: item.arguments },
    };
    transcript.addCall(turn, call, result);
  };

  const answers = new Map(
    items.flatMap((item) =>
      item.type === "mcp_approval_response" ? [[item.approval_request_id, item] as const] : [],
    ),
  );
  const executed = approvedCalls(items);
  for (const item of items) {
    switch (item.type) {
      case "message":
        if (item.role === "assistant")
          transcript.addText(turnOf(item.id), assistantText(item.content));
        else transcript.add(toChatMessage(item.role, item.content));
        break;
      case "reasoning": {
        const text = item.content.map((part) => part.text).join("");
        if (text) transcript.addReasoning(turnOf(item.id), text);
        break;
      }
      case "function_call":
        transcript.addCall(turnOf(item.id), {
          id: item.call_id,
          type: "function",
          function: { name: item.name, arguments: item.arguments },
        });
        break;
      case "function_call_output":
        transcript.addResult(item.call_id, item.output);
        break;
      case "mcp_call":
        // An approved call is written where the model asked for it: at its approval request.
        if (item.approval_request_id !== null && executed.get(item.approval_request_id) === item)
          break;
        addMcpExchange(turnOf(item.id), item, mcpResultText(item));
        break;
      case "mcp_approval_request": {
        const [turn, call, answer] = [turnOf(item.id), executed.get(item.id), answers.get(item.id)];
        if (call) addMcpExchange(turn, call, mcpResultText(call));
        else if (answer && !answer.approve) addMcpExchange(turn, item, deniedText(answer.reason));
        break;
      }
      case "mcp_list_tools":
      case "mcp_approval_response":
        break;
    }
  }
  return transcript.finish();
}

/** The call that ran for each approval request in the list, by request id (the first, if several). */
function approvedCalls(items: readonly ConversationItem[]): Map<string, McpCallItem> {
  const requests = new Set(
    items.flatMap((item) => (item.type === "mcp_approval_request" ? [item.id] : [])),
  );
  const calls = new Map<string, McpCallItem>();
  for (const item of items) {
    if (item.type !== "mcp_call" || item.approval_request_id === null) continue;
    const requestId = item.approval_request_id;
    if (requests.has(requestId) && !calls.has(requestId)) calls.set(requestId, item);
  }
  return calls;
}

function assistantText(content: OutputContent[]): string {
  return content.map((part) => (part.type === "output_text" ? part.text : part.refusal)).join("");
}

function toChatMessage(
  role: "user" | "system" | "developer",
  content: InputContent[],
): ChatMessage {
  const text = content.map((part) => (part.type === "input_text" ? part.text : "")).join("");
  if (role === "system" || role === "developer") return { role: "system", content: text };
  const images = content.filter((part) => part.type === "input_image" && part.image_url);
  if (images.length === 0) return { role: "user", content: text };
  return {
    role: "user",
    content: content.flatMap((part): ChatContentPart[] => {
      if (part.type === "input_text") return [{ type: "text", text: part.text }];
      if (part.type === "input_image" && part.image_url)
        return [{ type: "image_url", image_url: { url: part.image_url, detail: part.detail } }];
      return [];
    }),
  };
}

/** PRODUCT.md §8.6: a denied call's result as the model reads it. */
export function deniedText(reason: string | null): string {
  return reason
    ? `Tool call was denied by the user: ${reason}`
    : "Tool call was denied by the user";
}

/** What the model reads as an MCP call's result: the output, or the error rendered as text. */
export function mcpResultText(item: McpCallItem): string {
  if (item.error === null) return item.output ?? "";
  switch (item.error.type) {
    case "mcp_tool_execution_error":
      return `Error: ${JSON.stringify(item.error.content)}`;
    case "mcp_protocol_error":
    case "http_error":
      return `Error (${item.error.type} ${item.error.code}): ${item.error.message}`;
  }
}
