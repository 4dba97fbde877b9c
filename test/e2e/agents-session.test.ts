/**
 * `@openai/agents` with `OpenAIConversationsSession` against Patchbay, unchanged (issue 14 §1): the
 * session creates a conversation, reads its history before each run and adds each run's items
 * after it, through the official openai client pointed at Patchbay. A function tool turn goes
 * through the session and back to the model as it was made; popItem and clearSession work.
 */
import {
  Agent,
  OpenAIConversationsSession,
  OpenAIResponsesModel,
  run,
  setTracingDisabled,
  tool,
} from "@openai/agents";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";

let model: ScriptedModel;
let patchbay: TestPatchbay;

beforeAll(async () => {
  // Traces would be exported to OpenAI: never from a test.
  setTracingDisabled(true);
  model = await startScriptedModel();
  patchbay = await startPatchbay({ modelUrl: model.url });
});
afterAll(async () => {
  await patchbay.close();
  await model.close();
});

const messagesOf = (index: number) =>
  model.requests[index]?.body.messages as Array<Record<string, unknown>>;

describe("OpenAIConversationsSession against Patchbay", () => {
  it("remembers earlier runs, tool calls included, and pops and clears", async () => {
    const weather = tool({
      name: "get_weather",
      description: "The weather in a city.",
      parameters: z.object({ city: z.string() }),
      execute: ({ city }) => `Sunny in ${city}`,
    });
    const agent = new Agent({
      name: "Assistant",
      instructions: "Be brief.",
      model: new OpenAIResponsesModel(patchbay.client, "agent-model"),
      tools: [weather],
    });
    const session = new OpenAIConversationsSession({ client: patchbay.client });
    const start = model.requests.length;

    model.enqueue({ text: "Hello Ada." });
    const first = await run(agent, "My name is Ada.", { session });
    expect(first.finalOutput).toBe("Hello Ada.");
    const conversationId = await session.getSessionId();
    expect(conversationId).toMatch(/^conv_/);

    model.enqueue([
      { toolCalls: [{ name: "get_weather", arguments: '{"city":"Paris"}' }] },
      { text: "It is sunny in Paris, Ada." },
    ]);
    const second = await run(agent, "Weather in Paris?", { session });
    expect(second.finalOutput).toBe("It is sunny in Paris, Ada.");
    expect(messagesOf(start + 1)).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "My name is Ada." },
      { role: "assistant", content: "Hello Ada." },
      { role: "user", content: "Weather in Paris?" },
    ]);

    model.enqueue({ text: "You are Ada; Paris was sunny." });
    await run(agent, "Summarise.", { session });
    const third = messagesOf(start + 3);
    expect(third.slice(1, 4)).toEqual(messagesOf(start + 1).slice(1, 4));
    expect(third[4]).toMatchObject({
      role: "assistant",
      tool_calls: [{ function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
    });
    expect(third[5]).toMatchObject({ role: "tool", content: "Sunny in Paris" });
    expect(third[6]).toEqual({ role: "assistant", content: "It is sunny in Paris, Ada." });
    expect(third[7]).toEqual({ role: "user", content: "Summarise." });

    const stored = await session.getItems();
    expect(stored.map((item) => item.type)).toEqual([
      "message",
      "message",
      "message",
      "function_call",
      "function_call_result",
      "message",
      "message",
      "message",
    ]);
    const popped = await session.popItem();
    expect(popped).toMatchObject({ type: "message", role: "assistant" });
    expect(await session.getItems()).toHaveLength(7);
    expect(await session.getItems(2)).toHaveLength(2);

    await session.clearSession();
    await expect(patchbay.client.conversations.retrieve(conversationId)).rejects.toMatchObject({
      status: 404,
    });
  });
});
