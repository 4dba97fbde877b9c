/**
 * Reasoning from open-weight models' servers (issue 14 §3, ADR 0020): read under either name,
 * streamed or in a whole completion, and written back under the name the server itself used.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatEvent, ChatRequest } from "./chat-model.js";
import { OpenAIChatModel } from "./openai-chat-model.js";
import { collectChatEvents } from "../../test/support/collect-chat-events.js";
import {
  startScriptedModel,
  type ScriptedModel,
} from "../../test/support/scripted-model-server.js";

const FIELDS = ["reasoning_content", "reasoning"] as const;

/** A history whose assistant turn carries reasoning, as `toChatMessages` writes it. */
const withReasoning: ChatRequest = {
  model: "qwen3",
  messages: [
    { role: "user", content: "Add 1 and 2" },
    {
      role: "assistant",
      content: null,
      reasoning: "I should call add.",
      tool_calls: [
        { id: "call_1", type: "function", function: { name: "add", arguments: '{"a":1,"b":2}' } },
      ],
    },
    { role: "tool", tool_call_id: "call_1", content: "3" },
  ],
};

let upstream: ScriptedModel;
beforeEach(async () => {
  upstream = await startScriptedModel();
});
afterEach(async () => {
  await upstream.close();
});

function chatModel(): OpenAIChatModel {
  return new OpenAIChatModel({ baseUrl: upstream.url, timeoutMs: 5_000 });
}

const run = (model: OpenAIChatModel, request: ChatRequest) =>
  collectChatEvents(model.stream(request, new AbortController().signal));

const reasoningOf = (events: ChatEvent[]) =>
  events.flatMap((event) => (event.type === "reasoning" ? [event.delta] : []));

/** The assistant message of the last request the server received. */
function sentAssistant(): Record<string, unknown> {
  const messages = upstream.requests.at(-1)?.body.messages as Record<string, unknown>[];
  const assistant = messages.find((message) => message.role === "assistant");
  if (!assistant) throw new Error("no assistant message was sent");
  return assistant;
}

describe("OpenAIChatModel reading reasoning", () => {
  const cases = FIELDS.flatMap((field) =>
    (["sse", "json"] as const).map((format) => ({ field, format })),
  );
  it.each(cases)(
    "reads $field ($format) as reasoning events before the text",
    async ({ field, format }) => {
      upstream.enqueue({ text: "3", reasoning: { text: "One plus two.", field }, format });
      const events = await run(chatModel(), { model: "qwen3", messages: [] });

      expect(reasoningOf(events).join("")).toBe("One plus two.");
      if (format === "sse") expect(reasoningOf(events)).toHaveLength(3);
      const kinds = events.map((event) => event.type).filter((type, i, all) => type !== all[i - 1]);
      expect(kinds).toEqual(["reasoning", "text", "finish"]);
    },
  );

  it("reads reasoning before tool calls", async () => {
    upstream.enqueue({
      toolCalls: [{ name: "add", arguments: '{"a":1,"b":2}' }],
      reasoning: { text: "I should call add.", field: "reasoning" },
    });
    const events = await run(chatModel(), { model: "qwen3", messages: [] });
    expect(events.map((event) => event.type)).toEqual([
      "reasoning",
      "reasoning",
      "reasoning",
      "tool_call",
      "finish",
    ]);
  });

  it("reads a delta that carries both names once, and skips a non-text value", async () => {
    const chunk = (delta: Record<string, unknown>) => ({
      object: "chat.completion.chunk",
      model: "m",
      choices: [{ index: 0, delta, finish_reason: null }],
    });
    upstream.enqueue({
      sse: [
        chunk({ reasoning: "Same ", reasoning_content: "Same " }),
        chunk({ reasoning: "text." }),
        chunk({ reasoning: { effort: "high" }, content: "Done" }),
        { ...chunk({}), choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
        "[DONE]",
      ],
    });
    const events = await run(chatModel(), { model: "m", messages: [] });
    expect(reasoningOf(events)).toEqual(["Same ", "text."]);
    expect(events.filter((event) => event.type === "text")).toEqual([
      { type: "text", delta: "Done" },
    ]);
  });
});

describe("OpenAIChatModel writing reasoning back", () => {
  it("sends no reasoning to a server that has not sent any", async () => {
    upstream.enqueue({ text: "3" });
    await run(chatModel(), withReasoning);
    expect(sentAssistant()).not.toHaveProperty("reasoning");
    expect(sentAssistant()).not.toHaveProperty("reasoning_content");
    expect(sentAssistant().tool_calls).toHaveLength(1);
  });

  it.each(FIELDS)("writes it as %s once the server has sent reasoning so", async (field) => {
    const other = field === "reasoning" ? "reasoning_content" : "reasoning";
    const model = chatModel();
    upstream.enqueue([{ text: "3", reasoning: { text: "Thinking.", field } }, { text: "3" }]);
    await run(model, { model: "qwen3", messages: [{ role: "user", content: "Add" }] });
    await run(model, withReasoning);

    expect(sentAssistant()[field]).toBe("I should call add.");
    expect(sentAssistant()).not.toHaveProperty(other);
  });

  it("keeps the name it learned when a later turn has no reasoning", async () => {
    const model = chatModel();
    upstream.enqueue([
      { text: "a", reasoning: { text: "Thinking.", field: "reasoning_content" } },
      { text: "b" },
      { text: "c" },
    ]);
    await run(model, { model: "qwen3", messages: [] });
    await run(model, { model: "qwen3", messages: [] });
    await run(model, withReasoning);
    expect(sentAssistant().reasoning_content).toBe("I should call add.");
  });
});
