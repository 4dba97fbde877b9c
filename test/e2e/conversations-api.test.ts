/**
 * The Conversations API and `conversation` on responses (issue 14 §1) through the official openai
 * client, against the real runtime, the scripted model and an SDK-built MCP server: CRUD and item
 * paging, the model seeing each earlier turn, the turn appended after completion, MCP listings
 * reused and approvals answered across turns, and two responses racing on one conversation.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";

let model: ScriptedModel;
let mcp: McpFixture;
let patchbay: TestPatchbay;
let client: OpenAI;

beforeAll(async () => {
  model = await startScriptedModel();
  mcp = await startMcpFixture({ transport: "streamable-http" });
  patchbay = await startPatchbay({ modelUrl: model.url });
  client = patchbay.client;
});
afterAll(async () => {
  await patchbay.close();
  await mcp.close();
  await model.close();
});

const sentMessages = () => model.requests.at(-1)?.body.messages;

async function allItems(conversationId: string): Promise<OpenAI.Conversations.ConversationItem[]> {
  const items: OpenAI.Conversations.ConversationItem[] = [];
  for await (const item of client.conversations.items.list(conversationId, { order: "asc" })) {
    items.push(item);
  }
  return items;
}

describe("client.conversations", () => {
  it("creates, retrieves, updates and deletes a conversation", async () => {
    const created = await client.conversations.create({
      metadata: { topic: "demo" },
      items: [
        { type: "message", role: "user", content: "Hello" },
        { type: "message", role: "assistant", content: "Hi! How can I help?" },
      ],
    });
    expect(created).toMatchObject({ object: "conversation", metadata: { topic: "demo" } });
    expect(created.id).toMatch(/^conv_[0-9a-f]{32}$/);
    expect(created.created_at).toBeCloseTo(Date.now() / 1000, -1);

    expect(await client.conversations.retrieve(created.id)).toEqual(created);
    const updated = await client.conversations.update(created.id, { metadata: { topic: "x" } });
    expect(updated).toEqual({ ...created, metadata: { topic: "x" } });

    const deleted = await client.conversations.delete(created.id);
    expect(deleted).toEqual({ id: created.id, object: "conversation.deleted", deleted: true });
    await expect(client.conversations.retrieve(created.id)).rejects.toMatchObject({
      status: 404,
      error: { type: "invalid_request_error", param: "conversation_id" },
    });
    await expect(client.conversations.items.list(created.id)).rejects.toMatchObject({
      status: 404,
    });
  });

  it("adds, lists, pages, retrieves and deletes items; ids are kept or given", async () => {
    const conversation = await client.conversations.create({
      items: [
        {
          type: "message",
          id: "msg_client_given_1",
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: "one", annotations: [] }],
        },
      ],
    });
    const added = await client.conversations.items.create(conversation.id, {
      items: [
        { type: "message", role: "user", content: "two" },
        { type: "message", role: "user", content: [{ type: "input_text", text: "three" }] },
      ],
    });
    expect(added.object).toBe("list");
    expect(added.has_more).toBe(false);
    expect(added.data.map((item) => item.id)).toEqual([added.first_id, added.last_id]);
    expect(added.data[0]).toMatchObject({
      type: "message",
      role: "user",
      status: "completed",
      content: [{ type: "input_text", text: "two" }],
    });
    expect(added.data[0]?.id).toMatch(/^msg_/);

    const ids = ["msg_client_given_1", ...added.data.map((item) => item.id)];
    const newestFirst = await client.conversations.items.list(conversation.id);
    expect(newestFirst.data.map((item) => item.id)).toEqual([...ids].reverse());

    const firstPage = await client.conversations.items.list(conversation.id, {
      order: "asc",
      limit: 2,
    });
    expect(firstPage.data.map((item) => item.id)).toEqual(ids.slice(0, 2));
    expect(firstPage.has_more).toBe(true);
    const nextPage = await firstPage.getNextPage();
    expect(nextPage.data.map((item) => item.id)).toEqual(ids.slice(2));
    expect((await allItems(conversation.id)).map((item) => item.id)).toEqual(ids);

    const item = await client.conversations.items.retrieve(ids[1]!, {
      conversation_id: conversation.id,
      include: ["message.input_image.image_url"],
    });
    expect(item).toEqual(added.data[0]);

    const after = await client.conversations.items.delete(ids[1]!, {
      conversation_id: conversation.id,
    });
    expect(after).toMatchObject({ id: conversation.id, object: "conversation" });
    expect((await allItems(conversation.id)).map((listed) => listed.id)).toEqual([ids[0], ids[2]]);
    await expect(
      client.conversations.items.retrieve(ids[1]!, { conversation_id: conversation.id }),
    ).rejects.toMatchObject({ status: 404, error: { param: "item_id" } });
    await expect(
      client.conversations.items.delete(ids[1]!, { conversation_id: conversation.id }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("refuses more than 20 items at a time, an unknown include and unknown fields", async () => {
    const many = Array.from({ length: 21 }, (_, index) => ({
      type: "message" as const,
      role: "user" as const,
      content: `m${index}`,
    }));
    await expect(client.conversations.create({ items: many })).rejects.toMatchObject({
      status: 400,
      error: { param: "items" },
    });
    const conversation = await client.conversations.create({});
    await expect(
      client.conversations.items.create(conversation.id, { items: many }),
    ).rejects.toMatchObject({ status: 400, error: { param: "items" } });
    const raw = (path: string, init?: RequestInit) => fetch(`${patchbay.baseURL}${path}`, init);
    const badInclude = await raw(`/conversations/${conversation.id}/items?include=secrets`);
    expect(badInclude.status).toBe(400);
    const unknownField = await raw("/conversations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ metadata: {}, title: "x" }),
    });
    expect(unknownField.status).toBe(400);
    expect(await unknownField.json()).toMatchObject({ error: { code: "unknown_parameter" } });
  });
});

describe("conversation on responses.create", () => {
  it("puts the conversation's items before the input and appends the finished turn", async () => {
    const conversation = await client.conversations.create({
      items: [{ type: "message", role: "user", content: "My name is Ada." }],
    });
    model.enqueue({ text: "Nice to meet you, Ada." });
    const first = await client.responses.create({
      model: "m",
      input: "Remember it.",
      conversation: conversation.id,
    });
    expect(first.conversation).toEqual({ id: conversation.id });
    expect(sentMessages()).toEqual([
      { role: "user", content: "My name is Ada." },
      { role: "user", content: "Remember it." },
    ]);

    model.enqueue({ text: "You are Ada." });
    const second = await client.responses.create({
      model: "m",
      input: "Who am I?",
      conversation: { id: conversation.id },
    });
    expect(second.output_text).toBe("You are Ada.");
    expect(sentMessages()).toEqual([
      { role: "user", content: "My name is Ada." },
      { role: "user", content: "Remember it." },
      { role: "assistant", content: "Nice to meet you, Ada." },
      { role: "user", content: "Who am I?" },
    ]);

    const items = await allItems(conversation.id);
    expect(items.map((item) => item.type)).toEqual([
      "message",
      "message",
      "message",
      "message",
      "message",
    ]);
    expect(items[2]?.id).toBe(first.output[0]?.id);
    expect(items[4]?.id).toBe(second.output[0]?.id);
    const inputItems = await client.responses.inputItems.list(second.id);
    expect(inputItems.data.map((item) => item.id)).toEqual([items[3]?.id]);
    expect((await client.responses.retrieve(second.id)).conversation).toEqual({
      id: conversation.id,
    });
  });

  it("appends a streamed turn too, and nothing for a failed one", async () => {
    const conversation = await client.conversations.create({});
    model.enqueue({ text: "Streamed answer", chunks: 3 });
    const stream = await client.responses.create({
      model: "m",
      input: "Stream please",
      conversation: conversation.id,
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe("response.completed");
    expect((await allItems(conversation.id)).map((item) => item.type)).toEqual([
      "message",
      "message",
    ]);

    model.enqueue({ error: { status: 500 } });
    await expect(
      client.responses.create({ model: "m", input: "Fail", conversation: conversation.id }),
    ).rejects.toMatchObject({ status: 502 });
    expect(await allItems(conversation.id)).toHaveLength(2);
  });

  it("appends the turn of a store:false response, which itself is not stored", async () => {
    const conversation = await client.conversations.create({});
    model.enqueue({ text: "Not stored, but remembered." });
    const response = await client.responses.create({
      model: "m",
      input: "Remember this turn",
      conversation: conversation.id,
      store: false,
    });
    await expect(client.responses.retrieve(response.id)).rejects.toMatchObject({ status: 404 });
    const items = await allItems(conversation.id);
    expect(items.map((item) => item.id)).toEqual([items[0]?.id, response.output[0]?.id]);
  });

  it("refuses an unknown conversation (404) and one beside previous_response_id (400)", async () => {
    await expect(
      client.responses.create({ model: "m", input: "x", conversation: "conv_missing" }),
    ).rejects.toMatchObject({ status: 404, error: { param: "conversation" } });
    const conversation = await client.conversations.create({});
    await expect(
      client.responses.create({
        model: "m",
        input: "x",
        conversation: conversation.id,
        previous_response_id: "resp_x",
      }),
    ).rejects.toMatchObject({ status: 400, error: { param: "conversation" } });
    expect(await allItems(conversation.id)).toEqual([]);
  });

  it("reuses an mcp_list_tools already in the conversation and answers approvals across turns", async () => {
    const conversation = await client.conversations.create({});
    const tools: OpenAI.Responses.Tool[] = [
      { type: "mcp", server_label: "fixture", server_url: mcp.url, require_approval: "always" },
    ];
    model.enqueue({ toolCalls: [{ name: "echo", arguments: '{"message":"hi"}' }] });
    const asked = await client.responses.create({
      model: "m",
      input: "Echo hi",
      tools,
      conversation: conversation.id,
    });
    expect(asked.output.map((item) => item.type)).toEqual([
      "mcp_list_tools",
      "mcp_approval_request",
    ]);
    const request = asked.output[1];
    if (request?.type !== "mcp_approval_request") throw new Error("expected an approval request");

    const listingsBefore = mcp.counters.listTools;
    model.enqueue({ text: "The server said: Echo: hi" });
    const approved = await client.responses.create({
      model: "m",
      input: [{ type: "mcp_approval_response", approval_request_id: request.id, approve: true }],
      tools,
      conversation: conversation.id,
    });
    expect(approved.output.map((item) => item.type)).toEqual(["mcp_call", "message"]);
    expect(approved.output[0]).toMatchObject({
      name: "echo",
      arguments: '{"message":"hi"}',
      approval_request_id: request.id,
      status: "completed",
    });
    expect(mcp.counters.listTools).toBe(listingsBefore);

    // The model saw its first turn as it made it: one assistant message with the call.
    const messages = sentMessages() as Array<Record<string, unknown>>;
    expect(messages[0]).toEqual({ role: "user", content: "Echo hi" });
    expect(messages[1]).toMatchObject({
      role: "assistant",
      tool_calls: [{ function: { arguments: '{"message":"hi"}' } }],
    });
    expect(messages[2]).toMatchObject({ role: "tool" });

    expect((await allItems(conversation.id)).map((item) => item.type)).toEqual([
      "message",
      "mcp_list_tools",
      "mcp_approval_request",
      "mcp_approval_response",
      "mcp_call",
      "message",
    ]);
  });
});

describe("reasoning items in a conversation", () => {
  it("stores the turn's reasoning and gives it back to the model while the task goes on", async () => {
    const conversation = await client.conversations.create({});
    const tools: OpenAI.Responses.Tool[] = [
      {
        type: "function",
        name: "double",
        parameters: { type: "object", properties: { n: { type: "number" } } },
        strict: false,
      },
    ];
    model.enqueue([
      {
        reasoning: { text: "The client doubles.", field: "reasoning_content" },
        toolCalls: [{ name: "double", arguments: '{"n":21}' }],
      },
      { reasoning: { text: "It is 42.", field: "reasoning_content" }, text: "42" },
    ]);
    const first = await client.responses.create({
      model: "m",
      input: "Double 21",
      tools,
      conversation: conversation.id,
    });
    const call = first.output.find((item) => item.type === "function_call");
    if (call?.type !== "function_call") throw new Error("expected a function_call");
    const second = await client.responses.create({
      model: "m",
      input: [{ type: "function_call_output", call_id: call.call_id, output: "42" }],
      tools,
      conversation: conversation.id,
    });
    expect(second.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    const messages = sentMessages() as Array<Record<string, unknown>>;
    expect(messages[1]).toMatchObject({
      role: "assistant",
      reasoning_content: "The client doubles.",
    });

    const items = await allItems(conversation.id);
    expect(items.map((item) => item.type)).toEqual([
      "message",
      "reasoning",
      "function_call",
      "function_call_output",
      "reasoning",
      "message",
    ]);
    expect(items[1]).toMatchObject({
      id: first.output[0]?.id,
      content: [{ type: "reasoning_text", text: "The client doubles." }],
    });
  });
});

describe("two responses racing on one conversation", () => {
  it("appends both, each turn as one block, in completion order", async () => {
    const conversation = await client.conversations.create({
      items: [{ type: "message", role: "user", content: "Start" }],
    });
    const reply = (body: Record<string, unknown>) => {
      const last = JSON.stringify((body.messages as unknown[]).at(-1));
      return last.includes("slow")
        ? { text: "slow answer", chunks: 10, delayMs: 100 }
        : { text: "fast answer" };
    };
    model.enqueue([reply, reply]);
    const finished: string[] = [];
    const ask = async (input: string) => {
      const response = await client.responses.create({
        model: "m",
        input,
        conversation: conversation.id,
      });
      finished.push(response.id);
      return response;
    };
    const slow = ask("slow question");
    await model.waitForRequests(model.requests.length + 1);
    const [fast, slowResponse] = await Promise.all([ask("fast question"), slow]);

    // Both were prepared from the same conversation: neither saw the other.
    const bodies = model.requests.slice(-2).map((request) => JSON.stringify(request.body));
    expect(bodies.every((body) => !(body.includes("slow") && body.includes("fast")))).toBe(true);

    const items = await allItems(conversation.id);
    expect(items).toHaveLength(5);
    const turnOf = (response: OpenAI.Responses.Response) => [response.output[0]?.id];
    const blocks = finished.map((id) => (id === fast.id ? fast : slowResponse));
    const expected = blocks.flatMap((response) => [
      response.id === fast.id ? "fast question" : "slow question",
      ...turnOf(response),
    ]);
    const actual = items
      .slice(1)
      .map((item, index) =>
        index % 2 === 0 && item.type === "message" && item.content[0]?.type === "input_text"
          ? item.content[0].text
          : item.id,
      );
    expect(actual).toEqual(expected);
  });
});
