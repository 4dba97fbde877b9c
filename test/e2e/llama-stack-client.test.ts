/**
 * A Llama Stack user switching to Patchbay (issue 14 §4): `llama-stack-client` (npm) pointed at
 * Patchbay's root, for responses (create, retrieve, list, delete, input items) and conversations
 * (create, retrieve, update, items create/list/get/delete, delete), with an API key.
 */
import LlamaStackClient from "llama-stack-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminAndUserKeys } from "../support/config-entries.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";

const USER_KEY = "sk-user-llama-stack";

let model: ScriptedModel;
let patchbay: TestPatchbay;
let client: LlamaStackClient;

beforeAll(async () => {
  model = await startScriptedModel({ fallback: { text: "Hello from the model" } });
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.server.apiKeys = adminAndUserKeys("sk-admin-llama-stack", USER_KEY);
    },
  });
  client = new LlamaStackClient({ baseURL: patchbay.url, apiKey: USER_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await patchbay.close();
  await model.close();
});

describe("llama-stack-client against Patchbay", () => {
  it("creates, retrieves, lists and deletes responses, and lists input items", async () => {
    const created = await client.responses.create({
      model: "llama-stack-m",
      input: "Say hello",
      store: true,
    });
    expect(created).toMatchObject({ object: "response", status: "completed" });
    const text = created.output.flatMap((item) =>
      item.type === "message" && Array.isArray(item.content)
        ? item.content.flatMap((part) => ("text" in part ? [part.text] : []))
        : [],
    );
    expect(text).toEqual(["Hello from the model"]);

    expect((await client.responses.retrieve(created.id)).id).toBe(created.id);

    const second = await client.responses.create({ model: "llama-stack-m", input: "Again" });
    const listed = [];
    for await (const response of client.responses.list({ model: "llama-stack-m", limit: 1 })) {
      listed.push(response);
    }
    expect(listed.map((response) => response.id)).toEqual([second.id, created.id]);
    expect(listed[1]?.input).toHaveLength(1);

    const items = await client.responses.inputItems.list(created.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ type: "message", role: "user" });

    const deleted = await client.responses.delete(created.id);
    expect(deleted).toMatchObject({ id: created.id, deleted: true });
    await expect(client.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it("manages a conversation and its items, and continues it with a response", async () => {
    const conversation = await client.conversations.create({
      items: [{ type: "message", role: "user", content: "I like tea." }],
      metadata: { source: "llama-stack" },
    });
    expect(conversation).toMatchObject({
      object: "conversation",
      metadata: { source: "llama-stack" },
    });
    expect((await client.conversations.retrieve(conversation.id)).id).toBe(conversation.id);
    const updated = await client.conversations.update(conversation.id, {
      metadata: { source: "updated" },
    });
    expect(updated.metadata).toEqual({ source: "updated" });

    const added = await client.conversations.items.create(conversation.id, {
      items: [{ type: "message", role: "user", content: "And biscuits." }],
    });
    expect(added.data).toHaveLength(1);
    const addedId = added.data[0]?.id ?? "";

    await client.responses.create({
      model: "llama-stack-m",
      input: "What do I like?",
      conversation: conversation.id,
    });
    const items = [];
    for await (const item of client.conversations.items.list(conversation.id, { order: "asc" })) {
      items.push(item);
    }
    expect(items.map((item) => item.type)).toEqual(["message", "message", "message", "message"]);

    expect(await client.conversations.items.get(conversation.id, addedId)).toMatchObject({
      id: addedId,
      type: "message",
    });
    await client.conversations.items.delete(conversation.id, addedId);
    await expect(client.conversations.items.get(conversation.id, addedId)).rejects.toMatchObject({
      status: 404,
    });

    expect(await client.conversations.delete(conversation.id)).toMatchObject({
      id: conversation.id,
      deleted: true,
    });
  });
});
