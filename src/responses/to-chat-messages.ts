/**
 * Conversation items → Chat Completions messages for the model (the inference edge).
 * `function_call`/`mcp_call` items become assistant `tool_calls`; their results become `tool`
 * messages. `mcp_list_tools` and approval items carry no text for the model.
 */
import type { ChatContentPart, ChatMessage, ChatToolCall } from "../inference/chat-model.js";
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
  const messages: ChatMessage[] = [];
  if (instructions) messages.push({ role: "system", content: instructions });

  const addToolCall = (call: ChatToolCall): void => {
    const last = messages.at(-1);
    if (last?.role === "assistant") {
      last.tool_calls = [...(last.tool_calls ?? []), call];
    } else {
      messages.push({ role: "assistant", content: null, tool_calls: [call] });
    }
  };
  const pendingResults: ChatMessage[] = [];
  /** An MCP call (or denied request) as the model sees it: its tool call, then its result. */
  const addMcpExchange = (
    item: { id: string; server_label: string; name: string; arguments: string },
    result: string,
  ): void => {
    addToolCall({
      id: item.id,
      type: "function",
      function: { name: mcpFunctionName(item.server_label, item.name), arguments: item.arguments },
    });
    pendingResults.push({ role: "tool", tool_call_id: item.id, content: result });
  };
  const flushResults = (): void => {
    messages.push(...pendingResults.splice(0));
  };

  const answers = new Map(
    items.flatMap((item) =>
      item.type === "mcp_approval_response" ? [[item.approval_request_id, item] as const] : [],
    ),
  );
  for (const item of items) {
    switch (item.type) {
      case "message":
        flushResults();
        messages.push(
          item.role === "assistant"
            ? assistantMessage(item.content)
            : toChatMessage(item.role, item.content),
        );
        break;
      case "function_call":
        addToolCall({
          id: item.call_id,
          type: "function",
          function: { name: item.name, arguments: item.arguments },
        });
        break;
      case "function_call_output":
        pendingResults.push({ role: "tool", tool_call_id: item.call_id, content: item.output });
        break;
      case "mcp_call":
        addMcpExchange(item, mcpResultText(item));
        break;
      case "mcp_approval_request": {
        const answer = answers.get(item.id);
        if (answer && !answer.approve) addMcpExchange(item, deniedText(answer.reason));
        break;
      }
      case "mcp_list_tools":
      case "mcp_approval_response":
        break;
    }
  }
  flushResults();
  return messages;
}

function assistantMessage(content: OutputContent[]): ChatMessage {
  return {
    role: "assistant",
    content: content
      .map((part) => (part.type === "output_text" ? part.text : part.refusal))
      .join(""),
  };
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
