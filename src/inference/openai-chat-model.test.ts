import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatRequest } from "./chat-model.js";
import { OpenAIChatModel } from "./openai-chat-model.js";
import { collectChatEvents, textDeltas } from "../../test/support/collect-chat-events.js";
import {
  startScriptedModel,
  type ScriptedModel,
} from "../../test/support/scripted-model-server.js";

const request: ChatRequest = { model: "llama3", messages: [{ role: "user", content: "Hi" }] };
const weatherTool = {
  type: "function" as const,
  function: { name: "get_weather", parameters: { type: "object", properties: {} } },
};

let upstream: ScriptedModel;
beforeEach(async () => {
  upstream = await startScriptedModel();
});
afterEach(async () => {
  await upstream.close();
});

function chatModel(timeoutMs = 5_000, baseUrl = upstream.url): OpenAIChatModel {
  return new OpenAIChatModel({ baseUrl, apiKey: "sk-test", timeoutMs });
}

describe("OpenAIChatModel against a Chat Completions server", () => {
  it("streams text deltas over many chunks, then one finish with mapped usage", async () => {
    upstream.enqueue({
      text: "The quick brown fox jumps",
      chunks: 5,
      usage: {
        prompt_tokens: 12,
        completion_tokens: 5,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 2 },
      },
    });
    const events = await collectChatEvents(
      chatModel().stream(request, new AbortController().signal),
    );

    expect(textDeltas(events).length).toBeGreaterThanOrEqual(5);
    expect(textDeltas(events).join("")).toBe("The quick brown fox jumps");
    expect(events.at(-1)).toEqual({
      type: "finish",
      finishReason: "stop",
      model: "llama3",
      usage: {
        inputTokens: 12,
        outputTokens: 5,
        totalTokens: 17,
        cachedTokens: 4,
        reasoningTokens: 2,
      },
    });
    expect(events.filter((event) => event.type === "finish")).toHaveLength(1);
  });

  it("sends the wire request: stream with usage, max_tokens, auth, tool settings only with tools", async () => {
    upstream.enqueue([{ text: "a" }, { text: "b" }]);
    const model = chatModel();
    const full: ChatRequest = {
      ...request,
      tools: [weatherTool],
      toolChoice: "required",
      parallelToolCalls: false,
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 64,
      user: "u-1",
      responseFormat: { type: "json_object" },
    };
    await collectChatEvents(model.stream(full, new AbortController().signal));
    await collectChatEvents(
      model.stream({ ...request, parallelToolCalls: true }, new AbortController().signal),
    );

    const [withTools, withoutTools] = upstream.requests;
    expect(withTools?.headers.authorization).toBe("Bearer sk-test");
    expect(withTools?.path).toBe("/v1/chat/completions");
    expect(withTools?.body).toMatchObject({
      model: "llama3",
      stream: true,
      stream_options: { include_usage: true },
      tools: [weatherTool],
      tool_choice: "required",
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 64,
      user: "u-1",
      response_format: { type: "json_object" },
    });
    expect(withoutTools?.body).not.toHaveProperty("parallel_tool_calls");
    expect(withoutTools?.body).not.toHaveProperty("tools");
  });

  it("assembles two parallel tool calls whose arguments are split over chunks", async () => {
    upstream.enqueue({
      splitArguments: true,
      toolCalls: [
        { id: "call_a", name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' },
        { id: "call_b", name: "get_time", arguments: '{"timezone":"Europe/Paris"}' },
      ],
    });
    const events = await collectChatEvents(
      chatModel().stream(request, new AbortController().signal),
    );

    expect(events.map((event) => event.type)).toEqual(["tool_call", "tool_call", "finish"]);
    expect(events.slice(0, 2)).toEqual([
      {
        type: "tool_call",
        id: "call_a",
        name: "get_weather",
        arguments: '{"city":"Paris","unit":"celsius"}',
      },
      {
        type: "tool_call",
        id: "call_b",
        name: "get_time",
        arguments: '{"timezone":"Europe/Paris"}',
      },
    ]);
    expect(events[2]).toMatchObject({ type: "finish", finishReason: "tool_calls" });
  });

  it("orders interleaved calls by index and tolerates whole calls without index or id", async () => {
    const chunk = (delta: object, finish: string | null = null) => ({
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    upstream.enqueue({
      sse: [
        chunk({
          tool_calls: [{ index: 1, id: "call_1", function: { name: "second", arguments: "" } }],
        }),
        chunk({
          tool_calls: [{ index: 0, id: "call_0", function: { name: "first", arguments: '{"a"' } }],
        }),
        chunk({ tool_calls: [{ index: 1, function: { arguments: '{"b":2}' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: ":1}" } }] }),
        chunk(
          { tool_calls: [{ function: { name: "third", arguments: { c: 3 } } }] },
          "function_call",
        ),
        "[DONE]",
      ],
    });
    const events = await collectChatEvents(
      chatModel().stream(request, new AbortController().signal),
    );

    expect(events.slice(0, 3)).toEqual([
      { type: "tool_call", id: "call_0", name: "first", arguments: '{"a":1}' },
      { type: "tool_call", id: "call_1", name: "second", arguments: '{"b":2}' },
      {
        type: "tool_call",
        id: expect.stringMatching(/^call_\w+$/),
        name: "third",
        arguments: '{"c":3}',
      },
    ]);
    expect(events[3]).toEqual({
      type: "finish",
      finishReason: "tool_calls",
      usage: null,
      model: null,
    });
  });

  it("accepts a JSON completion from an upstream that ignores stream:true", async () => {
    upstream.enqueue({
      format: "json",
      text: "Hello there",
      toolCalls: [{ id: "call_x", name: "get_weather", arguments: '{"city":"Oslo"}' }],
      usage: { prompt_tokens: 3, completion_tokens: 7 },
    });
    const events = await collectChatEvents(
      chatModel().stream(request, new AbortController().signal),
    );

    expect(events).toEqual([
      { type: "text", delta: "Hello there" },
      { type: "tool_call", id: "call_x", name: "get_weather", arguments: '{"city":"Oslo"}' },
      {
        type: "finish",
        finishReason: "tool_calls",
        model: "llama3",
        usage: {
          inputTokens: 3,
          outputTokens: 7,
          totalTokens: 10,
          cachedTokens: 0,
          reasoningTokens: 0,
        },
      },
    ]);
  });

  it("passes refusals on and maps unknown finish reasons to other", async () => {
    upstream.enqueue({
      sse: [
        { choices: [{ index: 0, delta: { refusal: "I can't help with that." } }] },
        { choices: [{ index: 0, delta: {}, finish_reason: "eos" }] },
      ],
    });
    const events = await collectChatEvents(
      chatModel().stream(request, new AbortController().signal),
    );

    expect(events).toEqual([
      { type: "refusal", delta: "I can't help with that." },
      { type: "finish", finishReason: "other", usage: null, model: null },
    ]);
  });
});
