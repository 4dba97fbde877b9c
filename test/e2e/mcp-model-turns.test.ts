/**
 * The model sees its own turns as it made them (issue 11 §1, ADR 0014): calls of different model
 * turns are separate assistant messages, each followed by its results; calls of one turn stay one
 * message, with the text the model wrote alongside them. Checked with a model that counts its tool
 * turns, in the live loop (streaming and not), across `previous_response_id` (a client function
 * call, an approval) and on a history the client sends back itself with `store: false`, against
 * SDK 1.x servers on both MCP transports and an SDK 2.x stateless 2026-07-28 server.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectWellFormedStream } from "../support/collect-events.js";
import { mcpPeers, type McpPeer } from "../support/mcp-peers.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import {
  readStepHistory,
  stepCountingModel,
  type StepPlan,
} from "../support/step-counting-model.js";

type McpToolParam = OpenAI.Responses.Tool.Mcp;
type ChatMessages = Array<{ role: string; content: unknown; tool_calls?: unknown[] }>;

/** add(1,2) → add(3,4) → "The sum is 7": each step reads the result before it. */
const TWO_ADDS: StepPlan = {
  steps: [
    { name: "add", arguments: () => ({ a: 1, b: 2 }) },
    { name: "add", arguments: ([sum]) => ({ a: Number(sum), b: 4 }) },
  ],
  answer: (results) => `The sum is ${results.at(-1) ?? "?"}`,
};

/** add(1,2) on the MCP server, then the client's `double` function on the sum. */
const ADD_THEN_DOUBLE: StepPlan = {
  steps: [
    { name: "add", arguments: () => ({ a: 1, b: 2 }) },
    { name: "double", arguments: ([sum]) => ({ n: Number(sum) }) },
  ],
  answer: (results) => `Doubled: ${results.at(-1) ?? "?"}`,
};

const DOUBLE: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "double",
  parameters: { type: "object", properties: { n: { type: "number" } } },
  strict: false,
};

/** The first 16 hex characters after the prefix: where an item id carries its model turn. */
const turnToken = (id: string) => id.slice(id.indexOf("_") + 1, id.indexOf("_") + 17);

/** Role and tool-call count of each message: the shape of the history the model was sent. */
function shape(body: Record<string, unknown>): string[] {
  return (body.messages as ChatMessages).map(({ role, tool_calls }) =>
    tool_calls ? `${role}:${tool_calls.length}` : role,
  );
}

// server-everything's adding tool answers in a sentence these plans do not read.
const peers = mcpPeers.filter((peer) => peer.fixtureTools);

describe.each(peers)("Model turns against $name", (peer) => {
  let model: ScriptedModel;
  let mcp: McpPeer;
  let patchbay: TestPatchbay;
  let client: OpenAI;
  const tool = (extra: Partial<McpToolParam> = {}): McpToolParam => ({
    type: "mcp",
    server_label: "turns",
    server_url: mcp.url,
    require_approval: "never",
    ...extra,
  });

  beforeAll(async () => {
    model = await startScriptedModel();
    mcp = await peer.start();
    patchbay = await startPatchbay({ modelUrl: model.url });
    client = patchbay.client;
  });
  afterAll(async () => {
    await patchbay.close();
    await mcp.close();
    await model.close();
  });

  it.each([false, true])(
    "replays a dependent chain as one assistant message per turn (stream: %s)",
    async (stream) => {
      const step = stepCountingModel(TWO_ADDS);
      model.enqueue([step, step, step]);
      const request = { model: "m", input: "add twice", tools: [tool()] };
      let response: OpenAI.Responses.Response;
      if (stream) {
        const streamed = client.responses.stream(request);
        const events: OpenAI.Responses.ResponseStreamEvent[] = [];
        for await (const event of streamed) events.push(event);
        expectWellFormedStream(events);
        response = await streamed.finalResponse();
      } else {
        response = await client.responses.create(request);
      }

      expect(response.output.map((item) => item.type)).toEqual([
        "mcp_list_tools",
        "mcp_call",
        "mcp_call",
        "message",
      ]);
      expect(response.output[2]).toMatchObject({ arguments: '{"a":3,"b":4}', output: "7" });
      expect(response.output_text).toBe("The sum is 7");
      expect(shape(model.requests.at(-1)!.body)).toEqual([
        "user",
        "assistant:1",
        "tool",
        "assistant:1",
        "tool",
      ]);
    },
  );

  it("keeps the calls of one turn, and the text written with them, in one assistant message", async () => {
    model.enqueue([
      {
        text: "Adding both.",
        toolCalls: [
          { name: "add", arguments: '{"a":1,"b":2}' },
          { name: "add", arguments: '{"a":3,"b":4}' },
        ],
      },
      { toolCalls: [{ name: "add", arguments: '{"a":3,"b":7}' }] },
      { text: "10" },
    ]);
    const response = await client.responses.create({
      model: "m",
      input: "add",
      tools: [tool()],
    });
    expect(response.output.map((item) => item.type)).toEqual([
      "mcp_list_tools",
      "message",
      "mcp_call",
      "mcp_call",
      "mcp_call",
      "message",
    ]);
    const sent = model.requests.at(-1)!.body;
    expect(shape(sent)).toEqual(["user", "assistant:2", "tool", "tool", "assistant:1", "tool"]);
    expect((sent.messages as ChatMessages)[1]?.content).toBe("Adding both.");
    expect((sent.messages as ChatMessages)[4]?.content).toBeNull();
  });

  it.each([false, true])(
    "continues the chain across previous_response_id after a client function call (stream: %s)",
    async (stream) => {
      const step = stepCountingModel(ADD_THEN_DOUBLE);
      model.enqueue([step, step]);
      const tools = [tool(), DOUBLE];
      const first = await client.responses.create({ model: "m", input: "double 1+2", tools });
      expect(first.output.map((item) => item.type)).toEqual([
        "mcp_list_tools",
        "mcp_call",
        "function_call",
      ]);
      const call = first.output[2];
      if (call?.type !== "function_call") throw new Error("expected a function_call");
      expect(JSON.parse(call.arguments)).toEqual({ n: 3 });

      model.enqueue(step);
      const input = [{ type: "function_call_output" as const, call_id: call.call_id, output: "6" }];
      const request = { model: "m", previous_response_id: first.id, input, tools };
      const second = stream
        ? await client.responses.stream(request).finalResponse()
        : await client.responses.create(request);
      expect(second.output.map((item) => item.type)).toEqual(["message"]);
      expect(second.output_text).toBe("Doubled: 6");
      expect(shape(model.requests.at(-1)!.body)).toEqual([
        "user",
        "assistant:1",
        "tool",
        "assistant:1",
        "tool",
      ]);
    },
  );

  it.each([false, true])(
    "continues the chain across previous_response_id after an approval (stream: %s)",
    async (stream) => {
      const step = stepCountingModel({
        steps: [
          { name: "add", arguments: () => ({ a: 1, b: 2 }) },
          { name: "echo", arguments: ([sum]) => ({ message: `sum ${sum}` }) },
        ],
        answer: (results) => `Said: ${results.at(-1) ?? "?"}`,
      });
      model.enqueue([step, step]);
      const tools = [tool({ require_approval: { never: { tool_names: ["add"] } } })];
      const first = await client.responses.create({ model: "m", input: "add, then say", tools });
      expect(first.output.map((item) => item.type)).toEqual([
        "mcp_list_tools",
        "mcp_call",
        "mcp_approval_request",
      ]);
      const request = first.output[2];
      if (request?.type !== "mcp_approval_request") throw new Error("expected an approval");

      model.enqueue(step);
      const approval = {
        model: "m",
        previous_response_id: first.id,
        input: [
          {
            type: "mcp_approval_response" as const,
            approval_request_id: request.id,
            approve: true,
          },
        ],
        tools,
      };
      const second = stream
        ? await client.responses.stream(approval).finalResponse()
        : await client.responses.create(approval);
      expect(second.output.map((item) => item.type)).toEqual(["mcp_call", "message"]);
      expect(second.output[0]).toMatchObject({ output: "Echo: sum 3" });
      // The ids keep their wire shape; the approved call's carries its request's turn token.
      const approved = second.output[0]!.id!;
      expect(approved).toMatch(/^mcp_[0-9a-f]{32}$/);
      expect(turnToken(approved)).toBe(turnToken(request.id));
      expect(turnToken(first.output[1]!.id!)).not.toBe(turnToken(request.id));
      expect(second.output_text).toBe("Said: Echo: sum 3");
      expect(shape(model.requests.at(-1)!.body)).toEqual([
        "user",
        "assistant:1",
        "tool",
        "assistant:1",
        "tool",
      ]);
    },
  );

  it("keeps the turns of a history the client sends back itself (store: false)", async () => {
    const step = stepCountingModel(ADD_THEN_DOUBLE);
    model.enqueue([step, step]);
    const tools = [tool(), DOUBLE];
    const question = { role: "user" as const, content: "double 1+2" };
    const first = await client.responses.create({
      model: "m",
      input: [question],
      tools,
      store: false,
    });
    const call = first.output.at(-1);
    if (call?.type !== "function_call") throw new Error("expected a function_call");

    model.enqueue(step);
    const second = await client.responses.create({
      model: "m",
      input: [
        question,
        ...(first.output as OpenAI.Responses.ResponseInputItem[]),
        { type: "function_call_output", call_id: call.call_id, output: "6" },
      ],
      tools,
      store: false,
    });
    expect(second.output_text).toBe("Doubled: 6");
    const history = readStepHistory(model.requests.at(-1)!.body);
    expect(history.toolTurns).toEqual([["add"], ["double"]]);
    expect(history.results).toEqual(["3", "6"]);
  });
});
