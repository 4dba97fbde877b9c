import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../inference/chat-model.js";
import { newId, newTurnToken } from "./ids.js";
import type { ConversationItem, McpCallItem } from "./response-types.js";
import { toChatMessages } from "./to-chat-messages.js";
import { toConversationItems } from "./to-conversation-items.js";

const user = (text: string): ConversationItem => ({
  type: "message",
  id: newId("msg"),
  role: "user",
  status: "completed",
  content: [{ type: "input_text", text }],
});
const assistant = (id: string, text: string): ConversationItem => ({
  type: "message",
  id,
  role: "assistant",
  status: "completed",
  content: [{ type: "output_text", text, annotations: [], logprobs: [] }],
});
const mcpCall = (id: string, output: string, approvalRequestId: string | null = null) =>
  ({
    type: "mcp_call",
    id,
    server_label: "s",
    name: "add",
    arguments: "{}",
    output,
    error: null,
    status: "completed",
    approval_request_id: approvalRequestId,
  }) satisfies McpCallItem;
const request = (id: string): ConversationItem => ({
  type: "mcp_approval_request",
  id,
  server_label: "s",
  name: "add",
  arguments: "{}",
});
const answer = (approvalRequestId: string, approve: boolean): ConversationItem => ({
  type: "mcp_approval_response",
  id: newId("mcpa"),
  approval_request_id: approvalRequestId,
  approve,
  reason: null,
});
const functionCall = (id: string, callId: string): ConversationItem => ({
  type: "function_call",
  id,
  call_id: callId,
  name: "double",
  arguments: "{}",
  status: "completed",
});
const functionOutput = (callId: string, output: string): ConversationItem => ({
  type: "function_call_output",
  id: newId("fco"),
  call_id: callId,
  output,
  status: "completed",
});

/** Each message as `role`, `role:text`, `assistant[call ids]` or `tool:call id=result`. */
function outline(messages: ChatMessage[]): string[] {
  return messages.map((message) => {
    if (message.role === "tool") return `tool:${message.tool_call_id}=${message.content}`;
    if (message.role !== "assistant")
      return `${message.role}:${typeof message.content === "string" ? message.content : "parts"}`;
    const calls = message.tool_calls?.map((call) => call.id).join(",");
    const text = message.content === null ? "" : `"${message.content}"`;
    return `assistant${text}${calls === undefined ? "" : `[${calls}]`}`;
  });
}

const render = (items: ConversationItem[]) => outline(toChatMessages(null, items, (s, n) => n));

describe("toChatMessages: each model turn as the model made it", () => {
  it("writes calls of different turns as separate assistant messages, each before its results", () => {
    const [first, second] = [newTurnToken(), newTurnToken()];
    const a = newId("mcp", first);
    const b = newId("mcp", second);
    const answerId = newId("msg", newTurnToken());
    expect(
      render([user("go"), mcpCall(a, "3"), mcpCall(b, "7"), assistant(answerId, "7")]),
    ).toEqual([
      "user:go",
      `assistant[${a}]`,
      `tool:${a}=3`,
      `assistant[${b}]`,
      `tool:${b}=7`,
      'assistant"7"',
    ]);
  });

  it("keeps a turn's text and its parallel calls in one message, before all their results", () => {
    const turn = newTurnToken();
    const [a, b, f] = [newId("mcp", turn), newId("mcp", turn), newId("fc", turn)];
    const items = [
      user("go"),
      assistant(newId("msg", turn), "Checking both."),
      mcpCall(a, "1"),
      mcpCall(b, "2"),
      functionCall(f, "call_f"),
      functionOutput("call_f", "4"),
    ];
    expect(render(items)).toEqual([
      "user:go",
      `assistant"Checking both."[${a},${b},call_f]`,
      `tool:${a}=1`,
      `tool:${b}=2`,
      "tool:call_f=4",
    ]);
  });

  it("writes an approved call in the turn that asked for it, wherever it ran", () => {
    const turn = newTurnToken();
    const [a, asked] = [newId("mcp", turn), newId("mcpr", turn)];
    const ran = newId("mcp", turn);
    const items = [
      user("go"),
      mcpCall(a, "1"),
      request(asked),
      answer(asked, true),
      user("and then?"),
      mcpCall(ran, "2", asked),
    ];
    expect(render(items)).toEqual([
      "user:go",
      `assistant[${a},${ran}]`,
      `tool:${a}=1`,
      `tool:${ran}=2`,
      "user:and then?",
    ]);
  });

  it("writes a denied call in its turn with the denial as its result", () => {
    const turn = newTurnToken();
    const [a, asked] = [newId("mcp", turn), newId("mcpr", turn)];
    const items = [user("go"), mcpCall(a, "1"), request(asked), answer(asked, false)];
    expect(render(items)).toEqual([
      "user:go",
      `assistant[${a},${asked}]`,
      `tool:${a}=1`,
      `tool:${asked}=Tool call was denied by the user`,
    ]);
  });

  it("shows nothing of an unanswered approval request", () => {
    const asked = newId("mcpr", newTurnToken());
    expect(render([user("go"), request(asked), user("never mind")])).toEqual([
      "user:go",
      "user:never mind",
    ]);
  });

  it("groups another client's function calls as Chat Completions does: calls, then outputs", () => {
    const items = toConversationItems([
      { type: "message", role: "user", content: "go" },
      { type: "function_call", call_id: "c1", name: "double", arguments: "{}" },
      { type: "function_call", call_id: "c2", name: "double", arguments: "{}" },
      { type: "function_call_output", call_id: "c1", output: "1" },
      { type: "function_call_output", call_id: "c2", output: "2" },
      { type: "function_call", id: "fc_3", call_id: "c3", name: "double", arguments: "{}" },
      { type: "function_call_output", call_id: "c3", output: "3" },
    ]);
    expect(render(items)).toEqual([
      "user:go",
      "assistant[c1,c2]",
      "tool:c1=1",
      "tool:c2=2",
      "assistant[c3]",
      "tool:c3=3",
    ]);
  });

  it("makes each of another client's mcp_calls a turn, with the text written before the first", () => {
    const items = [
      user("go"),
      assistant("msg_1", "Let me look."),
      mcpCall("mcp_1", "1"),
      mcpCall("mcp_2", "2"),
    ];
    expect(render(items)).toEqual([
      "user:go",
      'assistant"Let me look."[mcp_1]',
      "tool:mcp_1=1",
      "assistant[mcp_2]",
      "tool:mcp_2=2",
    ]);
  });

  it("writes a result whose call is not in the open turn ahead of that turn", () => {
    const [a, b] = [newId("fc", newTurnToken()), newId("fc", newTurnToken())];
    const items = [
      user("go"),
      functionCall(a, "ca"),
      functionCall(b, "cb"),
      functionOutput("ca", "1"),
      functionOutput("cb", "2"),
    ];
    expect(render(items)).toEqual([
      "user:go",
      "assistant[ca]",
      "tool:ca=1",
      "assistant[cb]",
      "tool:cb=2",
    ]);
  });

  it("starts with the instructions and ends a turn at every user message", () => {
    const turn = newTurnToken();
    const messages = toChatMessages(
      "Be brief.",
      [
        user("a"),
        assistant(newId("msg", turn), "b"),
        user("c"),
        assistant(newId("msg", turn), "d"),
      ],
      (s, n) => n,
    );
    expect(outline(messages)).toEqual([
      "system:Be brief.",
      "user:a",
      'assistant"b"',
      "user:c",
      'assistant"d"',
    ]);
  });
});
