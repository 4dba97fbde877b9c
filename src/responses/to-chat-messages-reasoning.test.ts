/**
 * Reasoning in the history the model is sent (ADR 0020): on its turn's assistant message, for the
 * turns of the current task (after the last user message) only.
 */
import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../inference/chat-model.js";
import { newId, newTurnToken } from "./ids.js";
import type { ConversationItem } from "./response-types.js";
import { toChatMessages } from "./to-chat-messages.js";
import { toConversationItems } from "./to-conversation-items.js";

const user = (text: string): ConversationItem => ({
  type: "message",
  id: newId("msg"),
  role: "user",
  status: "completed",
  content: [{ type: "input_text", text }],
});
const reasoning = (id: string, ...texts: string[]): ConversationItem => ({
  type: "reasoning",
  id,
  summary: [],
  content: texts.map((text) => ({ type: "reasoning_text", text })),
  encrypted_content: null,
  status: "completed",
});
const assistant = (id: string, text: string): ConversationItem => ({
  type: "message",
  id,
  role: "assistant",
  status: "completed",
  content: [{ type: "output_text", text, annotations: [], logprobs: [] }],
});
const mcpCall = (id: string, output: string): ConversationItem => ({
  type: "mcp_call",
  id,
  server_label: "s",
  name: "add",
  arguments: "{}",
  output,
  error: null,
  status: "completed",
  approval_request_id: null,
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

/** Each message as `role`, `role:text`, or `assistant{reasoning}"text"[call ids]`. */
function outline(messages: ChatMessage[]): string[] {
  return messages.map((message) => {
    if (message.role === "tool") return `tool:${message.tool_call_id}=${message.content}`;
    if (message.role !== "assistant")
      return `${message.role}:${typeof message.content === "string" ? message.content : "parts"}`;
    const thought = message.reasoning === undefined ? "" : `{${message.reasoning}}`;
    const text = message.content === null ? "" : `"${message.content}"`;
    const calls = message.tool_calls?.map((call) => call.id).join(",");
    return `assistant${thought}${text}${calls === undefined ? "" : `[${calls}]`}`;
  });
}

const render = (items: ConversationItem[]) => outline(toChatMessages(null, items, (s, n) => n));

describe("toChatMessages: reasoning", () => {
  it("writes a turn's reasoning on the message that holds its text and calls", () => {
    const [first, second] = [newTurnToken(), newTurnToken()];
    const call = newId("mcp", first);
    expect(
      render([
        user("add"),
        reasoning(newId("rs", first), "Call add."),
        mcpCall(call, "3"),
        reasoning(newId("rs", second), "It is 3."),
        assistant(newId("msg", second), "3"),
      ]),
    ).toEqual([
      "user:add",
      `assistant{Call add.}[${call}]`,
      `tool:${call}=3`,
      'assistant{It is 3.}"3"',
    ]);
  });

  it("leaves out the reasoning of turns before the last user message", () => {
    const [first, second] = [newTurnToken(), newTurnToken()];
    expect(
      render([
        user("hi"),
        reasoning(newId("rs", first), "Greet back."),
        assistant(newId("msg", first), "Hello"),
        user("add"),
        reasoning(newId("rs", second), "Call add."),
        functionCall(newId("fc", second), "call_1"),
        functionOutput("call_1", "3"),
      ]),
    ).toEqual([
      "user:hi",
      'assistant"Hello"',
      "user:add",
      "assistant{Call add.}[call_1]",
      "tool:call_1=3",
    ]);
  });

  it("joins several reasonings of one turn by a line, and reads only their text parts", () => {
    const turn = newTurnToken();
    const items = toConversationItems([
      { type: "reasoning", id: newId("rs", turn), summary: [{ type: "summary_text", text: "S" }] },
      {
        type: "reasoning",
        id: newId("rs", turn),
        summary: [],
        content: [{ type: "reasoning_text", text: "A" }],
      },
      {
        type: "reasoning",
        id: newId("rs", turn),
        summary: [],
        content: [{ type: "reasoning_text", text: "B" }],
      },
      { type: "message", id: newId("msg", turn), role: "assistant", content: "Done" },
    ]);
    expect(render([user("go"), ...items])).toEqual(["user:go", 'assistant{A\nB}"Done"']);
  });

  it("groups reasoning written without turn tokens with the message or calls after it", () => {
    expect(
      render([
        user("go"),
        reasoning("rs_client_1", "Think."),
        assistant("msg_client_1", "Said"),
        reasoning("rs_client_2", "Call."),
        functionCall("fc_client_1", "call_1"),
        functionOutput("call_1", "ok"),
      ]),
    ).toEqual(["user:go", 'assistant{Think.}"Said"', "assistant{Call.}[call_1]", "tool:call_1=ok"]);
  });

  it("sends no message for a turn that has only reasoning", () => {
    const turn = newTurnToken();
    const request: ConversationItem = {
      type: "mcp_approval_request",
      id: newId("mcpr", turn),
      server_label: "s",
      name: "add",
      arguments: "{}",
    };
    expect(
      render([
        user("add"),
        reasoning(newId("rs", turn), "Ask first."),
        request,
        user("never mind"),
      ]),
    ).toEqual(["user:add", "user:never mind"]);
  });
});
