/**
 * MCP tools in /v1/responses with the official openai client, real MCP servers on loopback (SDK 1.x
 * on both transports, SDK 2.x stateless 2026-07-28, server-everything) and the scripted model.
 * Scenarios follow Llama Stack's test_tool_responses.py / test_mcp_authentication.py (issue 4).
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectWellFormedStream } from "../support/collect-events.js";
import { connectorConfig } from "../support/config-entries.js";
import { mcpPeers, type McpPeer } from "../support/mcp-peers.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

type McpToolParam = OpenAI.Responses.Tool.Mcp;

describe.each(mcpPeers)("MCP tools against $name", (peer) => {
  const { transport, add } = peer;
  let model: ScriptedModel;
  let mcp: McpPeer;
  let patchbay: TestPatchbay;
  let client: OpenAI;
  let tool: (extra?: {
    [Key in keyof McpToolParam]?: McpToolParam[Key] | undefined;
  }) => McpToolParam;

  beforeAll(async () => {
    model = await startScriptedModel();
    // The continuation test counts on the listing staying cached for the TTL; a 2026-07-28 server
    // tells how long itself (SDK 2.x servers announce 0 unless configured).
    mcp = await peer.start({ toolsTtlMs: 60_000 });
    patchbay = await startPatchbay({
      modelUrl: model.url,
      configure: (config) => {
        config.connectors.push(
          connectorConfig("connector_fixture", mcp.url, {
            description: "Fixture tools",
            transport,
            timeoutMs: 5_000,
          }),
        );
      },
    });
    client = patchbay.client;
    // Keys set to undefined are dropped on the wire (JSON), so the server sees them as omitted.
    tool = (extra = {}) =>
      ({
        type: "mcp",
        server_label: "fixture",
        server_url: mcp.url,
        require_approval: "never",
        ...extra,
      }) as McpToolParam;
  });
  afterAll(async () => {
    await patchbay.close();
    await mcp.close();
    await model.close();
  });

  it("lists tools, calls one and answers (non-streaming)", async () => {
    model.enqueue([
      { toolCalls: [{ name: "echo", arguments: '{"message":"hi"}' }] },
      { text: "The server said: Echo: hi" },
    ]);
    const response = await client.responses.create({
      model: "m",
      input: "Echo hi",
      tools: [tool()],
    });

    expect(response.status).toBe("completed");
    expect(response.output.map((item) => item.type)).toEqual([
      "mcp_list_tools",
      "mcp_call",
      "message",
    ]);
    const [list, call] = response.output;
    expect(list).toMatchObject({ type: "mcp_list_tools", server_label: "fixture", error: null });
    expect(list?.id).toMatch(/^mcpl_/);
    if (list?.type !== "mcp_list_tools") throw new Error("expected mcp_list_tools");
    expect(list.tools.map((listed) => listed.name)).toContain("echo");
    expect(call).toMatchObject({
      type: "mcp_call",
      name: "echo",
      arguments: '{"message":"hi"}',
      output: "Echo: hi",
      error: null,
      status: "completed",
      approval_request_id: null,
    });
    expect(call?.id).toMatch(/^mcp_/);
    expect(response.output_text).toBe("The server said: Echo: hi");
    expect(response.tools[0]).toEqual({
      type: "mcp",
      server_label: "fixture",
      server_url: `${new URL(mcp.url).protocol}//${new URL(mcp.url).host}/<redacted>`,
      allowed_tools: null,
      headers: null,
      require_approval: "never",
      server_description: null,
    });

    const second = model.requests.at(-1)!.body.messages as Array<Record<string, unknown>>;
    expect(second.at(-1)).toMatchObject({ role: "tool", content: "Echo: hi" });
    expect(mcp.calls.at(-1)).toMatchObject({ name: "echo", arguments: { message: "hi" } });
  });

  it("does not list again on a continuation, nor on a fresh request within the TTL", async () => {
    model.enqueue({ text: "first" });
    const first = await client.responses.create({
      model: "m",
      input: "x",
      tools: [tool({ server_label: "again" })],
    });
    const listsAfterFirst = mcp.counters.listTools;
    model.enqueue([{ toolCalls: [{ name: add.name, arguments: '{"a":2,"b":3}' }] }, { text: "5" }]);
    const second = await client.responses.create({
      model: "m",
      input: "add",
      previous_response_id: first.id,
      tools: [tool({ server_label: "again" })],
    });
    expect(second.output.map((item) => item.type)).toEqual(["mcp_call", "message"]);
    expect(second.output[0]).toMatchObject({ output: add.output(2, 3), status: "completed" });
    expect(mcp.counters.listTools).toBe(listsAfterFirst);
    // The continuation's first model turn saw the first response's turn, then the new input.
    const sent = model.requests.at(-2)!.body.messages as Array<{ role: string; content: unknown }>;
    expect(sent.map(({ role, content }) => [role, content])).toEqual([
      ["user", "x"],
      ["assistant", "first"],
      ["user", "add"],
    ]);

    model.enqueue({ text: "fresh" });
    const fresh = await client.responses.create({
      model: "m",
      input: "y",
      tools: [tool({ server_label: "again" })],
    });
    expect(fresh.output[0]?.type).toBe("mcp_list_tools");
    expect(mcp.counters.listTools).toBe(listsAfterFirst);
  });

  it("resolves a connector_id from run.yaml on every request", async () => {
    model.enqueue([
      { toolCalls: [{ name: "echo", arguments: '{"message":"via connector"}' }] },
      { text: "done" },
    ]);
    const response = await client.responses.create({
      model: "m",
      input: "x",
      tools: [
        {
          type: "mcp",
          server_label: "conn",
          connector_id: "connector_fixture" as "connector_dropbox",
          require_approval: "never",
        },
      ],
    });
    expect(response.output[1]).toMatchObject({ type: "mcp_call", output: "Echo: via connector" });
    expect(response.tools[0]).toMatchObject({
      type: "mcp",
      connector_id: "connector_fixture",
      server_description: "Fixture tools",
      headers: null,
    });
    await expect(
      client.responses.create({
        model: "m",
        input: "x",
        tools: [
          {
            type: "mcp",
            server_label: "conn",
            connector_id: "connector_gmail",
            require_approval: "never",
          },
        ],
      }),
    ).rejects.toMatchObject({
      status: 400,
      code: "unknown_connector",
      param: "tools[0].connector_id",
    });
  });

  it("asks for approval by default and executes exactly the approved call", async () => {
    const callsBefore = mcp.counters.callTool;
    model.enqueue({ toolCalls: [{ name: add.name, arguments: '{"a":20,"b":22}' }] });
    const asked = await client.responses.create({
      model: "m",
      input: "add",
      tools: [tool({ server_label: "appr", require_approval: undefined })],
    });
    expect(asked.status).toBe("completed");
    expect(asked.output.map((item) => item.type)).toEqual([
      "mcp_list_tools",
      "mcp_approval_request",
    ]);
    const request = asked.output[1];
    if (request?.type !== "mcp_approval_request") throw new Error("expected an approval request");
    expect(request).toMatchObject({
      name: add.name,
      arguments: '{"a":20,"b":22}',
      server_label: "appr",
    });
    expect(request.id).toMatch(/^mcpr_/);
    expect(asked.tools[0]).toMatchObject({ require_approval: "always" });
    expect(mcp.counters.callTool).toBe(callsBefore);

    const requestsBefore = model.requests.length;
    model.enqueue({ text: "42" });
    const approved = await client.responses.create({
      model: "m",
      previous_response_id: asked.id,
      input: [{ type: "mcp_approval_response", approval_request_id: request.id, approve: true }],
      tools: [tool({ server_label: "appr", require_approval: undefined })],
    });
    expect(approved.output.map((item) => item.type)).toEqual(["mcp_call", "message"]);
    expect(approved.output[0]).toMatchObject({
      name: add.name,
      arguments: '{"a":20,"b":22}',
      output: add.output(20, 22),
      approval_request_id: request.id,
    });
    expect(mcp.counters.callTool).toBe(callsBefore + 1);
    expect(mcp.calls.at(-1)).toMatchObject({ name: add.name, arguments: { a: 20, b: 22 } });
    expect(model.requests.length).toBe(requestsBefore + 1);
  });

  it("reports a denial to the model without calling the tool", async () => {
    model.enqueue({ toolCalls: [{ name: "echo", arguments: '{"message":"secret"}' }] });
    const asked = await client.responses.create({
      model: "m",
      input: "x",
      tools: [tool({ server_label: "deny", require_approval: "always" })],
    });
    const request = asked.output[1];
    if (request?.type !== "mcp_approval_request") throw new Error("expected an approval request");
    const callsBefore = mcp.counters.callTool;
    model.enqueue({ text: "Understood, I will not." });
    const denied = await client.responses.create({
      model: "m",
      previous_response_id: asked.id,
      input: [
        {
          type: "mcp_approval_response",
          approval_request_id: request.id,
          approve: false,
          reason: "not now",
        },
      ],
      tools: [tool({ server_label: "deny", require_approval: "always" })],
    });
    expect(denied.output.map((item) => item.type)).toEqual(["message"]);
    expect(mcp.counters.callTool).toBe(callsBefore);
    const messages = model.requests.at(-1)!.body.messages as Array<Record<string, unknown>>;
    expect(messages.at(-1)).toEqual({
      role: "tool",
      tool_call_id: request.id,
      content: "Tool call was denied by the user: not now",
    });
  });

  it("runs dependent tool calls over several turns, streaming, with one created and one terminal event", async () => {
    // Each turn reads the previous tool result the model was sent (the last number in it): the
    // second call depends on the first call's output, the answer on the second's.
    const lastToolResult = (body: Record<string, unknown>): number => {
      const messages = body.messages as Array<{ role: string; content: string }>;
      const last = messages.at(-1)!;
      if (last.role !== "tool") throw new Error(`expected a tool result, got ${last.role}`);
      return Number(/(-?\d+)\.?$/.exec(last.content)?.[1]);
    };
    model.enqueue([
      { toolCalls: [{ name: add.name, arguments: '{"a":1,"b":2}' }] },
      (body) => ({
        toolCalls: [
          { name: add.name, arguments: JSON.stringify({ a: lastToolResult(body), b: 4 }) },
        ],
      }),
      (body) => ({ text: `The sum is ${lastToolResult(body)}`, chunks: 3 }),
    ]);
    const stream = client.responses.stream({
      model: "m",
      input: "add twice",
      tools: [tool({ server_label: "multi" })],
    });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    expectWellFormedStream(events);
    expect(final.output.map((item) => item.type)).toEqual([
      "mcp_list_tools",
      "mcp_call",
      "mcp_call",
      "message",
    ]);
    expect(final.output[1]).toMatchObject({ arguments: '{"a":1,"b":2}', output: add.output(1, 2) });
    expect(final.output[2]).toMatchObject({ arguments: '{"a":3,"b":4}', output: add.output(3, 4) });
    expect(final.output_text).toBe("The sum is 7");

    const added = new Map<string, number>();
    for (const event of events) {
      if (event.type === "response.output_item.added")
        added.set(event.item.id!, event.output_index);
      if (event.type.startsWith("response.mcp_")) {
        const ref = event as { item_id: string; output_index: number };
        expect(added.get(ref.item_id)).toBe(ref.output_index);
      }
    }
    const types = events.map((event) => event.type);
    expect(types.slice(0, 6)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.mcp_list_tools.in_progress",
      "response.mcp_list_tools.completed",
      "response.output_item.done",
    ]);
    expect(types.filter((type) => type === "response.mcp_call.completed")).toHaveLength(2);
  });

  it("caps MCP calls at max_tool_calls and tells the model", async () => {
    const callsBefore = mcp.counters.callTool;
    model.enqueue([
      {
        toolCalls: [
          { name: "echo", arguments: '{"message":"a"}' },
          { name: "echo", arguments: '{"message":"b"}' },
        ],
      },
      { text: "capped" },
    ]);
    const response = await client.responses.create({
      model: "m",
      input: "x",
      max_tool_calls: 1,
      tools: [tool({ server_label: "cap" })],
    });
    expect(response.output.filter((item) => item.type === "mcp_call")).toHaveLength(1);
    expect(mcp.counters.callTool).toBe(callsBefore + 1);
    const messages = model.requests.at(-1)!.body.messages as Array<Record<string, unknown>>;
    expect(messages.at(-1)).toMatchObject({
      role: "tool",
      content: "Tool call skipped: max_tool_calls reached",
    });
  });

  // The fixture tools (slow, fail, get_weather) are not server-everything's.
  if (peer.fixtureTools) {
    it.each([true, false])(
      "runs several calls of one turn, at once only when parallel_tool_calls is %s",
      async (parallel) => {
        model.enqueue([
          {
            toolCalls: [
              { name: "slow", arguments: '{"ms":200}' },
              { name: "slow", arguments: '{"ms":200}' },
            ],
          },
          { text: "both waited" },
        ]);
        mcp.concurrency.max = 0;
        const response = await client.responses.create({
          model: "m",
          input: "x",
          parallel_tool_calls: parallel,
          tools: [tool({ server_label: `par${String(parallel)}` })],
        });
        expect(
          response.output
            .filter((item) => item.type === "mcp_call")
            .map((item) => (item.type === "mcp_call" ? item.output : null)),
        ).toEqual(["Waited 200 ms", "Waited 200 ms"]);
        // Counted on the MCP server: both 200 ms runs overlapped, or the second began after the first.
        expect(mcp.concurrency.max).toBe(parallel ? 2 : 1);
        expect(model.requests.at(-2)!.body.parallel_tool_calls).toBe(parallel);
      },
    );

    it("returns a failed tool call to the model as a structured error", async () => {
      model.enqueue([{ toolCalls: [{ name: "fail", arguments: "{}" }] }, { text: "It failed." }]);
      const response = await client.responses.create({
        model: "m",
        input: "x",
        tools: [tool({ server_label: "failing" })],
      });
      expect(response.status).toBe("completed");
      expect(response.output[1]).toMatchObject({
        type: "mcp_call",
        status: "failed",
        output: null,
        error: { type: "mcp_tool_execution_error" },
      });
      expect(response.output_text).toBe("It failed.");
    });

    it("imports only allowed_tools and forces a tool with tool_choice", async () => {
      model.enqueue([
        { toolCalls: [{ name: "get_weather", arguments: '{"city":"Oslo"}' }] },
        { text: "cold" },
      ]);
      const response = await client.responses.create({
        model: "m",
        input: "weather",
        tools: [tool({ server_label: "ro", allowed_tools: { read_only: true } })],
        tool_choice: { type: "mcp", server_label: "ro", name: "get_weather" },
      });
      const list = response.output[0];
      if (list?.type !== "mcp_list_tools") throw new Error("expected mcp_list_tools");
      expect(list.tools.map((listed) => listed.name)).toEqual(["get_weather"]);
      expect(list.tools[0]?.annotations).toEqual({ read_only: true });
      const firstTurn = model.requests.at(-2)!.body;
      expect(
        (firstTurn.tools as Array<{ function: { name: string } }>).map((fn) => fn.function.name),
      ).toEqual(["get_weather"]);
      expect(firstTurn.tool_choice).toEqual({
        type: "function",
        function: { name: "get_weather" },
      });
      expect(model.requests.at(-1)!.body.tool_choice).toBe("auto");

      model.enqueue({ text: "names" });
      const named = await client.responses.create({
        model: "m",
        input: "x",
        tools: [tool({ server_label: "named", allowed_tools: ["echo", "add"] })],
      });
      const namedList = named.output[0];
      if (namedList?.type !== "mcp_list_tools") throw new Error("expected mcp_list_tools");
      expect(namedList.tools.map((listed) => listed.name).sort()).toEqual(["add", "echo"]);
    });
  }

  it("needs approval per require_approval filter: never for listed names, always otherwise", async () => {
    model.enqueue([
      {
        toolCalls: [
          { name: "echo", arguments: '{"message":"free"}' },
          { name: add.name, arguments: '{"a":1,"b":2}' },
        ],
      },
    ]);
    const response = await client.responses.create({
      model: "m",
      input: "x",
      tools: [
        tool({ server_label: "filter", require_approval: { never: { tool_names: ["echo"] } } }),
      ],
    });
    expect(response.output.map((item) => item.type)).toEqual([
      "mcp_list_tools",
      "mcp_call",
      "mcp_approval_request",
    ]);
    expect(response.output[1]).toMatchObject({ name: "echo", output: "Echo: free" });
    expect(response.output[2]).toMatchObject({ name: add.name });
  });

  it("answers 424 when listing fails, in both modes", async () => {
    const down = {
      type: "mcp" as const,
      server_label: "down",
      server_url: "http://127.0.0.1:9/mcp",
      require_approval: "never" as const,
    };
    await expect(
      client.responses.create({ model: "m", input: "x", tools: [down] }),
    ).rejects.toMatchObject({
      status: 424,
      type: "external_connector_error",
      param: "tools",
      code: "connection_failed",
    });
    const response = await fetch(`${patchbay.baseURL}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: "x", stream: true, tools: [down] }),
    });
    expect(response.status).toBe(424);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toBe(
      "Error retrieving tool list from MCP server: 'down'. Reason: connection failed (ECONNREFUSED) (server_url http://127.0.0.1:9/<redacted>)",
    );
  });
});
