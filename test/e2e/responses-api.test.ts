import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectWellFormedStream } from "../support/collect-events.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

let model: ScriptedModel;
let patchbay: TestPatchbay;
let client: OpenAI;

beforeAll(async () => {
  model = await startScriptedModel();
  patchbay = await startPatchbay({ modelUrl: model.url });
  client = patchbay.client;
});
afterAll(async () => {
  await patchbay.close();
  await model.close();
});

const lastRequest = () => model.requests.at(-1)!;

describe("responses.create", () => {
  it("answers a plain text request and stores it", async () => {
    model.enqueue({
      text: "Hello world",
      chunks: 3,
      usage: { prompt_tokens: 7, completion_tokens: 2 },
    });
    const response = await client.responses.create({
      model: "test-model",
      input: "Say hello",
      instructions: "Be brief.",
    });

    expect(response.status).toBe("completed");
    expect(response.output_text).toBe("Hello world");
    expect(response.id).toMatch(/^resp_[A-Za-z0-9_-]{24,}$/);
    expect(response.output[0]).toMatchObject({
      type: "message",
      role: "assistant",
      status: "completed",
    });
    expect(response.output[0]?.id).toMatch(/^msg_[A-Za-z0-9_-]{24,}$/);
    expect(response.usage).toMatchObject({ input_tokens: 7, output_tokens: 2, total_tokens: 9 });
    expect(response.instructions).toBe("Be brief.");
    expect(response.model).toBe("test-model");

    const sent = lastRequest().body;
    expect(sent.model).toBe("test-model");
    expect(sent.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Say hello" },
    ]);

    const retrieved = await client.responses.retrieve(response.id);
    expect(retrieved.output_text).toBe("Hello world");
    expect(retrieved.status).toBe("completed");
  });

  it("forwards sampling parameters and echoes them and metadata", async () => {
    model.enqueue({ text: "ok" });
    const response = await client.responses.create({
      model: "test-model",
      input: "x",
      temperature: 0.3,
      top_p: 0.9,
      max_output_tokens: 50,
      user: "u-1",
      metadata: { team: "blue" },
      text: { format: { type: "json_object" } },
    });
    expect(response).toMatchObject({
      temperature: 0.3,
      top_p: 0.9,
      max_output_tokens: 50,
      metadata: { team: "blue" },
    });
    expect(lastRequest().body).toMatchObject({
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 50,
      user: "u-1",
      response_format: { type: "json_object" },
    });
  });

  it("returns function calls and continues with function_call_output via previous_response_id", async () => {
    model.enqueue({
      toolCalls: [{ name: "get_weather", arguments: '{"city":"Paris"}' }],
      splitArguments: true,
    });
    const tools: OpenAI.Responses.Tool[] = [
      {
        type: "function",
        name: "get_weather",
        description: "Weather",
        parameters: { type: "object", properties: { city: { type: "string" } } },
        strict: false,
      },
    ];
    const first = await client.responses.create({
      model: "test-model",
      input: "Weather in Paris?",
      tools,
    });
    const call = first.output[0];
    expect(call).toMatchObject({
      type: "function_call",
      name: "get_weather",
      arguments: '{"city":"Paris"}',
      status: "completed",
    });
    if (call?.type !== "function_call") throw new Error("expected a function call");
    expect(call.id).toMatch(/^fc_/);
    expect(lastRequest().body.tools).toEqual([
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Weather",
          parameters: tools[0]!.type === "function" ? tools[0].parameters : null,
          strict: false,
        },
      },
    ]);

    model.enqueue({ text: "It is sunny in Paris." });
    const second = await client.responses.create({
      model: "test-model",
      previous_response_id: first.id,
      input: [{ type: "function_call_output", call_id: call.call_id, output: '{"sky":"sunny"}' }],
      tools,
    });
    expect(second.output_text).toBe("It is sunny in Paris.");
    expect(second.previous_response_id).toBe(first.id);
    const messages = lastRequest().body.messages as Array<Record<string, unknown>>;
    expect(messages).toEqual([
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: call.call_id,
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: call.call_id, content: '{"sky":"sunny"}' },
    ]);
  });

  it("carries a conversation through previous_response_id without instructions", async () => {
    model.enqueue({ text: "Nice to meet you, Ada." });
    const first = await client.responses.create({
      model: "test-model",
      input: "I am Ada.",
      instructions: "Only for turn one.",
    });
    model.enqueue({ text: "You are Ada." });
    await client.responses.create({
      model: "test-model",
      input: "Who am I?",
      previous_response_id: first.id,
    });
    expect(lastRequest().body.messages).toEqual([
      { role: "user", content: "I am Ada." },
      { role: "assistant", content: "Nice to meet you, Ada." },
      { role: "user", content: "Who am I?" },
    ]);
  });

  it("does not store a response with store:false", async () => {
    model.enqueue({ text: "ephemeral" });
    const response = await client.responses.create({
      model: "test-model",
      input: "x",
      store: false,
    });
    expect(response.output_text).toBe("ephemeral");
    await expect(client.responses.retrieve(response.id)).rejects.toMatchObject({ status: 404 });
  });

  it("marks a response cut by max_output_tokens as incomplete", async () => {
    model.enqueue({ text: "partial", finishReason: "length" });
    const response = await client.responses.create({
      model: "test-model",
      input: "long",
      max_output_tokens: 16,
    });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(response.output[0]).toMatchObject({ type: "message", status: "incomplete" });
  });
});

describe("streaming", () => {
  it("streams OpenAI's event sequence and responses.stream() assembles it", async () => {
    model.enqueue({ text: "Streaming works fine", chunks: 4 });
    const stream = client.responses.stream({ model: "test-model", input: "stream please" });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();

    expectWellFormedStream(events);
    expect(events.map((event) => event.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(final.output_text).toBe("Streaming works fine");
    expect(lastRequest().body.stream).toBe(true);
    const stored = await client.responses.retrieve(final.id);
    expect(stored.output_text).toBe("Streaming works fine");
  });

  it("streams function calls with argument events", async () => {
    model.enqueue({ toolCalls: [{ name: "lookup", arguments: '{"q":"x"}' }] });
    const stream = await client.responses.create({
      model: "test-model",
      input: "call it",
      stream: true,
      tools: [
        {
          type: "function",
          name: "lookup",
          parameters: { type: "object", properties: {} },
          strict: false,
        },
      ],
    });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expectWellFormedStream(events);
    expect(events.map((event) => event.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const done = events.find((event) => event.type === "response.function_call_arguments.done");
    expect(done).toMatchObject({ arguments: '{"q":"x"}', output_index: 0 });
  });
});

describe("retrieve, delete, input items", () => {
  it("lists input items with OpenAI paging", async () => {
    model.enqueue({ text: "ok" });
    const response = await client.responses.create({
      model: "test-model",
      input: [
        { role: "user", content: "one" },
        { role: "user", content: "two" },
        { role: "user", content: "three" },
      ],
    });
    const desc = await client.responses.inputItems.list(response.id);
    expect(
      desc.data.map((item) => (item.type === "message" ? item.content[0] : null)),
    ).toMatchObject([
      { type: "input_text", text: "three" },
      { type: "input_text", text: "two" },
      { type: "input_text", text: "one" },
    ]);
    const page = await client.responses.inputItems.list(response.id, { order: "asc", limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.has_more).toBe(true);
    const next = await client.responses.inputItems.list(response.id, {
      order: "asc",
      limit: 2,
      after: page.data[1]!.id,
    });
    expect(next.data).toHaveLength(1);
    expect(next.has_more).toBe(false);

    const all: string[] = [];
    for await (const item of client.responses.inputItems.list(response.id, {
      order: "asc",
      limit: 1,
    }))
      all.push(item.id);
    expect(all).toHaveLength(3);
  });

  it("deletes a response, after which it is not found", async () => {
    model.enqueue({ text: "bye" });
    const response = await client.responses.create({ model: "test-model", input: "x" });
    await client.responses.delete(response.id);
    await expect(client.responses.retrieve(response.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.responses.delete(response.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.responses.inputItems.list(response.id)).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe("background", () => {
  it("runs in the background and completes", async () => {
    model.enqueue({ text: "done later" });
    const queued = await client.responses.create({
      model: "test-model",
      input: "x",
      background: true,
    });
    expect(queued.status).toBe("queued");
    expect(queued.background).toBe(true);
    await patchbay.runtime.app.responses.drain();
    const finished = await client.responses.retrieve(queued.id);
    expect(finished.status).toBe("completed");
    expect(finished.output_text).toBe("done later");
  });

  it("cancels a running background response and aborts the model call", async () => {
    const abortedBefore = model.aborted;
    model.enqueue({ hang: true });
    const requestsBefore = model.requests.length;
    const queued = await client.responses.create({
      model: "test-model",
      input: "x",
      background: true,
    });
    await model.waitForRequests(requestsBefore + 1);
    const cancelled = await client.responses.cancel(queued.id);
    expect(cancelled.status).toBe("cancelled");
    await model.waitForAbort(abortedBefore + 1);
    const again = await client.responses.cancel(queued.id);
    expect(again.status).toBe("cancelled");
  });

  it("refuses to cancel a synchronous response", async () => {
    model.enqueue({ text: "sync" });
    const response = await client.responses.create({ model: "test-model", input: "x" });
    await expect(client.responses.cancel(response.id)).rejects.toMatchObject({ status: 400 });
  });
});
