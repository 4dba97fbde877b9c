/**
 * Reasoning items from open-weight models (issue 14 §3, ADR 0020), in one response's tool loop:
 * the server's reasoning (`reasoning_content` or `reasoning`, streamed or in a whole completion)
 * becomes a `reasoning` item before its turn's calls and text, with OpenAI's events; the model
 * gets it back on its turn's message under the name its server used; a turn that ends in a
 * client call or an error still leaves a well-formed output and stream. Through the official
 * `openai` client (whose `responses.stream()` validates every event) and raw SSE.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectWellFormedStream, readSse } from "../support/collect-events.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

type Field = "reasoning_content" | "reasoning";
type StreamEvent = OpenAI.Responses.ResponseStreamEvent;

const DOUBLE: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "double",
  parameters: { type: "object", properties: { n: { type: "number" } } },
  strict: false,
};

/** The first 16 hex characters after the prefix: where an item id carries its model turn. */
const turnToken = (id: string) => id.slice(id.indexOf("_") + 1, id.indexOf("_") + 17);

/** Runs a request through the SDK, streaming (every event validated by the SDK) or not. */
async function run(
  client: OpenAI,
  request: Omit<OpenAI.Responses.ResponseCreateParamsNonStreaming, "stream">,
  stream: boolean,
): Promise<{ response: OpenAI.Responses.Response; events: StreamEvent[] }> {
  if (!stream) return { response: await client.responses.create(request), events: [] };
  const streamed = client.responses.stream(request);
  const events: StreamEvent[] = [];
  for await (const event of streamed) events.push(event);
  expectWellFormedStream(events);
  return { response: await streamed.finalResponse(), events };
}

/** The event types that concern one item, in order. */
const eventsOf = (events: StreamEvent[], itemId: string) =>
  events
    .filter((event) =>
      "item_id" in event ? event.item_id === itemId : "item" in event && event.item.id === itemId,
    )
    .map((event) => event.type);

describe.each<Field>(["reasoning_content", "reasoning"])("Reasoning sent as %s", (field) => {
  const other: Field = field === "reasoning" ? "reasoning_content" : "reasoning";
  let model: ScriptedModel;
  let mcp: McpFixture;
  let patchbay: TestPatchbay;

  beforeAll(async () => {
    model = await startScriptedModel();
    mcp = await startMcpFixture({ transport: "streamable-http" });
    patchbay = await startPatchbay({ modelUrl: model.url });
  });
  afterAll(async () => {
    await patchbay.close();
    await mcp.close();
    await model.close();
  });

  const calc: OpenAI.Responses.Tool.Mcp = {
    type: "mcp",
    server_label: "calc",
    server_url: "",
    require_approval: "never",
  };
  const cases = [false, true].flatMap((stream) =>
    (["sse", "json"] as const).map((upstream) => ({ upstream, stream })),
  );

  it.each(cases)(
    "reasoning, an MCP call, reasoning, the answer (upstream $upstream, stream: $stream)",
    async ({ upstream, stream }) => {
      model.enqueue([
        {
          reasoning: { text: "I should add 1 and 2.", field },
          toolCalls: [{ name: "add", arguments: '{"a":1,"b":2}' }],
          format: upstream,
          usage: {
            prompt_tokens: 10,
            completion_tokens: 12,
            completion_tokens_details: { reasoning_tokens: 7 },
          },
        },
        {
          reasoning: { text: "add returned 3.", field },
          text: "The sum is 3.",
          format: upstream,
          usage: {
            prompt_tokens: 20,
            completion_tokens: 9,
            completion_tokens_details: { reasoning_tokens: 5 },
          },
        },
      ]);
      const tools = [{ ...calc, server_url: mcp.url }];
      const { response, events } = await run(
        patchbay.client,
        { model: "qwen3", input: "What is 1+2?", tools },
        stream,
      );

      expect(response.status).toBe("completed");
      expect(response.output.map((item) => item.type)).toEqual([
        "mcp_list_tools",
        "reasoning",
        "mcp_call",
        "reasoning",
        "message",
      ]);
      const [, thought, call, answerThought, answer] = response.output;
      expect(thought).toEqual({
        type: "reasoning",
        id: expect.stringMatching(/^rs_[0-9a-f]{32}$/) as unknown,
        summary: [],
        content: [{ type: "reasoning_text", text: "I should add 1 and 2." }],
        encrypted_content: null,
        status: "completed",
      });
      expect(answerThought).toMatchObject({ content: [{ text: "add returned 3." }] });
      expect(call).toMatchObject({ type: "mcp_call", output: "3" });
      expect(turnToken(thought!.id!)).toBe(turnToken(call!.id!));
      expect(turnToken(answerThought!.id!)).toBe(turnToken(answer!.id!));
      expect(response.output_text).toBe("The sum is 3.");
      expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(12);

      const messages = model.requests.at(-1)!.body.messages as Record<string, unknown>[];
      expect(messages[1]).toMatchObject({ role: "assistant", [field]: "I should add 1 and 2." });
      expect(messages[1]).not.toHaveProperty(other);
      expect(messages[1]?.tool_calls).toHaveLength(1);

      if (stream) {
        const deltas = upstream === "sse" ? 3 : 1;
        expect(eventsOf(events, thought!.id!)).toEqual([
          "response.output_item.added",
          "response.content_part.added",
          ...Array<string>(deltas).fill("response.reasoning_text.delta"),
          "response.reasoning_text.done",
          "response.content_part.done",
          "response.output_item.done",
        ]);
      }
    },
  );

  it("streams a reasoning item's events as OpenAI's open-weight server does (raw SSE)", async () => {
    model.enqueue({ reasoning: { text: "Say hi.", field, chunks: 2 }, text: "Hi" });
    const answer = await fetch(`${patchbay.baseURL}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "qwen3", input: "Hello", stream: true }),
    });
    const events = (await readSse(answer)).map((frame) => frame.data);
    expectWellFormedStream(events);
    expect(events.map((event) => event.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.reasoning_text.delta",
      "response.reasoning_text.delta",
      "response.reasoning_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const [added, partAdded, delta, , done, partDone, itemDone] = events.slice(2);
    const id = (added?.item as { id: string }).id;
    expect(added?.item).toEqual({
      type: "reasoning",
      id,
      summary: [],
      content: [],
      encrypted_content: null,
      status: "in_progress",
    });
    expect(partAdded).toMatchObject({
      item_id: id,
      output_index: 0,
      content_index: 0,
      part: { type: "reasoning_text", text: "" },
    });
    expect(delta).toMatchObject({ item_id: id, output_index: 0, content_index: 0, delta: "Say " });
    expect(done).toMatchObject({ item_id: id, output_index: 0, content_index: 0, text: "Say hi." });
    expect(partDone).toMatchObject({ part: { type: "reasoning_text", text: "Say hi." } });
    expect(itemDone).toMatchObject({
      output_index: 0,
      item: { id, status: "completed", content: [{ text: "Say hi." }] },
    });
  });

  it.each([false, true])(
    "ends a turn of reasoning and a client function call with both items (stream: %s)",
    async (stream) => {
      model.enqueue({
        reasoning: { text: "The client doubles.", field },
        toolCalls: [{ name: "double", arguments: '{"n":21}' }],
      });
      const { response, events } = await run(
        patchbay.client,
        { model: "qwen3", input: "Double 21", tools: [DOUBLE] },
        stream,
      );
      expect(response.status).toBe("completed");
      expect(response.output.map((item) => item.type)).toEqual(["reasoning", "function_call"]);
      const [thought, call] = response.output;
      expect(turnToken(thought!.id!)).toBe(turnToken(call!.id!));
      if (stream) expect(events.at(-1)?.type).toBe("response.completed");
    },
  );

  /** Reasoning, then the server reports an error in the stream: a real vLLM/llama.cpp failure. */
  const reasoningThenError = () => ({
    sse: [
      {
        object: "chat.completion.chunk",
        model: "qwen3",
        choices: [{ index: 0, delta: { role: "assistant", content: "" } }],
      },
      {
        object: "chat.completion.chunk",
        model: "qwen3",
        choices: [{ index: 0, delta: { [field]: "Half a tho" } }],
      },
      { error: { message: "CUDA out of memory" } },
    ],
  });

  it("closes the reasoning item (incomplete) before response.failed when the model fails mid-turn", async () => {
    model.enqueue(reasoningThenError());
    const { response, events } = await run(
      patchbay.client,
      { model: "qwen3", input: "Think" },
      true,
    );
    expect(response.status).toBe("failed");
    expect(response.error?.message).toContain("CUDA out of memory");
    expect(response.output).toEqual([
      expect.objectContaining({
        type: "reasoning",
        status: "incomplete",
        content: [{ type: "reasoning_text", text: "Half a tho" }],
      }),
    ]);
    expect(events.map((event) => event.type).slice(-5)).toEqual([
      "response.reasoning_text.delta",
      "response.reasoning_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.failed",
    ]);
    const stored = await patchbay.client.responses.retrieve(response.id);
    expect(stored.output).toEqual(response.output);
  });

  it("closes a message cut by a failure too, after its turn's completed reasoning", async () => {
    const [role, thinking] = reasoningThenError().sse;
    const text = {
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta: { content: "Par" } }],
    };
    model.enqueue({ sse: [role!, thinking!, text, { error: { message: "CUDA out of memory" } }] });
    const { response } = await run(patchbay.client, { model: "qwen3", input: "Think" }, true);
    expect(response.status).toBe("failed");
    expect(response.output).toEqual([
      expect.objectContaining({ type: "reasoning", status: "completed" }),
      expect.objectContaining({
        type: "message",
        status: "incomplete",
        content: [expect.objectContaining({ type: "output_text", text: "Par" })],
      }),
    ]);
  });

  it("answers the JSON request with the mapped error when the model fails after reasoning", async () => {
    model.enqueue(reasoningThenError());
    const answer = await fetch(`${patchbay.baseURL}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "qwen3", input: "Think" }),
    });
    expect(answer.status).toBe(502);
    const body = (await answer.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      type: "server_error",
      message: expect.stringContaining("CUDA") as unknown,
    });
  });
});
