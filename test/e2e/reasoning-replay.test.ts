/**
 * Reasoning on later responses (issue 14 §3, ADR 0020): the model gets back the reasoning of its
 * current task (the turns since the last user message), whether the history comes from the store
 * (`previous_response_id`) or from the client (`store: false`), and no earlier reasoning. Reasoning
 * items in OpenAI's shape are accepted; `include: ["reasoning.encrypted_content"]` is accepted and
 * leaves `encrypted_content` null; `reasoning` is echoed; a server that never sent reasoning is sent none.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

type ChatMessages = Array<Record<string, unknown>>;

const DOUBLE: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "double",
  parameters: { type: "object", properties: { n: { type: "number" } } },
  strict: false,
};

/** Role, and the reasoning an assistant message carries (under either name), of each message. */
function reasoningShape(model: ScriptedModel): string[] {
  const messages = model.requests.at(-1)!.body.messages as ChatMessages;
  return messages.map((message) => {
    const thought = message.reasoning ?? message.reasoning_content;
    return typeof thought === "string"
      ? `${String(message.role)}{${thought}}`
      : String(message.role);
  });
}

function functionCallOf(response: OpenAI.Responses.Response) {
  const call = response.output.find((item) => item.type === "function_call");
  if (call?.type !== "function_call") throw new Error("expected a function_call");
  return call;
}

describe("Reasoning on later responses", () => {
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

  const doubleTurn = {
    reasoning: { text: "The client doubles.", field: "reasoning_content" as const },
    toolCalls: [{ name: "double", arguments: '{"n":21}' }],
  };

  it.each([false, true])(
    "keeps the task's reasoning across previous_response_id, and drops it at the next user message (stream: %s)",
    async (stream) => {
      model.enqueue([
        doubleTurn,
        { reasoning: { text: "It is 42.", field: "reasoning_content" }, text: "42" },
        { text: "Welcome" },
      ]);
      const tools = [DOUBLE];
      const first = await client.responses.create({ model: "qwen3", input: "Double 21", tools });
      const output = {
        type: "function_call_output" as const,
        call_id: functionCallOf(first).call_id,
        output: "42",
      };
      const follow = { model: "qwen3", previous_response_id: first.id, input: [output], tools };
      const second = stream
        ? await client.responses.stream(follow).finalResponse()
        : await client.responses.create(follow);
      expect(second.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
      expect(reasoningShape(model)).toEqual(["user", "assistant{The client doubles.}", "tool"]);

      await client.responses.create({
        model: "qwen3",
        previous_response_id: second.id,
        input: "Thanks",
      });
      expect(reasoningShape(model)).toEqual(["user", "assistant", "tool", "assistant", "user"]);
    },
  );

  it("keeps the task's reasoning in a history the client sends back with store: false", async () => {
    model.enqueue([doubleTurn, { text: "42" }]);
    const tools = [DOUBLE];
    const first = await client.responses.create({
      model: "qwen3",
      input: "Double 21",
      tools,
      store: false,
    });
    const history: OpenAI.Responses.ResponseInput = [
      { role: "user", content: "Double 21" },
      ...(first.output as OpenAI.Responses.ResponseInputItem[]),
      { type: "function_call_output", call_id: functionCallOf(first).call_id, output: "42" },
    ];
    await client.responses.create({ model: "qwen3", input: history, tools, store: false });
    expect(reasoningShape(model)).toEqual(["user", "assistant{The client doubles.}", "tool"]);
  });

  it("accepts a reasoning item in OpenAI's shape (summary, encrypted_content) and sends the model none of it", async () => {
    model.enqueue({ text: "Sure" });
    const response = await client.responses.create({
      model: "qwen3",
      input: [
        { role: "user", content: "Hi" },
        {
          type: "reasoning",
          id: "rs_68af1e5f0cb881a3b4ab3e1ff9f41b6e",
          summary: [{ type: "summary_text", text: "**Greeting**" }],
          encrypted_content: "gAAAAABor1_opaque",
        },
        { role: "assistant", content: "Hello" },
        { role: "user", content: "Again" },
      ],
    });
    expect(response.status).toBe("completed");
    expect(reasoningShape(model)).toEqual(["user", "assistant", "user"]);
    const listed = await client.responses.inputItems.list(response.id);
    expect(listed.data.find((item) => item.type === "reasoning")).toMatchObject({
      summary: [{ type: "summary_text", text: "**Greeting**" }],
      encrypted_content: "gAAAAABor1_opaque",
    });
  });

  it("accepts include reasoning.encrypted_content; the item's encrypted_content stays null", async () => {
    model.enqueue({ reasoning: { text: "Short.", field: "reasoning" }, text: "Hi" });
    const answer = await fetch(`${patchbay.baseURL}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "qwen3",
        input: "Hi",
        store: false,
        include: ["reasoning.encrypted_content"],
      }),
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { output: Array<Record<string, unknown>> };
    expect(body.output[0]).toMatchObject({ type: "reasoning", content: [{ text: "Short." }] });
    expect(body.output[0]).toHaveProperty("encrypted_content", null);
  });

  it("echoes the requested reasoning settings, and passes none of them to the model server", async () => {
    model.enqueue([{ text: "a" }, { text: "b" }]);
    const asked = await client.responses.create({
      model: "qwen3",
      input: "Hi",
      reasoning: { effort: "max", summary: "auto" },
    });
    expect(asked.reasoning).toEqual({ effort: "max", summary: "auto" });
    expect(model.requests.at(-1)!.body).not.toHaveProperty("reasoning_effort");
    const plain = await client.responses.create({ model: "qwen3", input: "Hi" });
    expect(plain.reasoning).toEqual({ effort: null, summary: null });
  });

  it("answers 400 naming the part for a malformed reasoning item", async () => {
    const answer = await fetch(`${patchbay.baseURL}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "qwen3",
        input: [{ type: "reasoning", summary: [], content: [{ type: "output_text", text: "x" }] }],
      }),
    });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      type: "invalid_request_error",
      param: expect.stringMatching(/^input\[0\]/) as unknown,
    });
  });
});

it("sends no reasoning to a model server that has not sent any itself", async () => {
  const model = await startScriptedModel();
  const patchbay = await startPatchbay({ modelUrl: model.url });
  try {
    model.enqueue([
      { text: "b" },
      { reasoning: { text: "New.", field: "reasoning" }, text: "c" },
      { text: "d" },
    ]);
    const input: OpenAI.Responses.ResponseInput = [
      { role: "user", content: "Double 21" },
      {
        type: "reasoning",
        id: "rs_client",
        summary: [],
        content: [{ type: "reasoning_text", text: "Doubling." }],
      },
      { type: "function_call", call_id: "call_1", name: "double", arguments: '{"n":21}' },
      { type: "function_call_output", call_id: "call_1", output: "42" },
    ];
    await patchbay.client.responses.create({
      model: "qwen3",
      input,
      tools: [DOUBLE],
      store: false,
    });
    expect(reasoningShape(model)).toEqual(["user", "assistant", "tool"]);

    await patchbay.client.responses.create({ model: "qwen3", input: "Think", store: false });
    await patchbay.client.responses.create({
      model: "qwen3",
      input,
      tools: [DOUBLE],
      store: false,
    });
    expect(reasoningShape(model)).toEqual(["user", "assistant{Doubling.}", "tool"]);
    expect((model.requests.at(-1)!.body.messages as ChatMessages)[1]).toHaveProperty("reasoning");
  } finally {
    await patchbay.close();
    await model.close();
  }
});
