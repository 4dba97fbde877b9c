/**
 * The same MCP tool calls through /v1/responses against servers on every revision in use
 * (issue 15 §1): an SDK 1.x server (2025-11-25, a session), an SDK 2.x server in its stateless
 * 2026-07-28 mode, and the third-party reference server `@modelcontextprotocol/server-everything`.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { connectorConfig } from "../support/config-entries.js";
import { startEverythingMcpServer } from "../support/everything-mcp-server.js";
import { mcpPeers } from "../support/mcp-peers.js";
import { startMcpV2Fixture, type McpV2Fixture } from "../support/mcp-v2-fixture-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

interface ServerUnderTest {
  url: string;
  close(): Promise<void>;
}

describe.each(mcpPeers)("MCP tools against $name", (peer) => {
  let model: ScriptedModel;
  let server: ServerUnderTest;
  let patchbay: TestPatchbay;
  let client: OpenAI;
  const tool = (): OpenAI.Responses.Tool.Mcp => ({
    type: "mcp",
    server_label: "revisions",
    server_url: server.url,
    require_approval: "never",
  });

  beforeAll(async () => {
    model = await startScriptedModel();
    server = await peer.start();
    patchbay = await startPatchbay({
      modelUrl: model.url,
      configure: (config) => config.connectors.push(connectorConfig("revisions", server.url)),
    });
    client = patchbay.client;
  });
  afterAll(async () => {
    await patchbay.close();
    await server.close();
    await model.close();
  });

  it("lists tools and calls one, streaming and not", async () => {
    for (const stream of [false, true]) {
      model.enqueue([
        { toolCalls: [{ name: "echo", arguments: '{"message":"hi"}' }] },
        { text: "done" },
      ]);
      const body = { model: "m", input: "Echo hi", tools: [tool()] };
      const response = stream
        ? await client.responses.stream(body).finalResponse()
        : await client.responses.create(body);
      expect(response.status).toBe("completed");
      expect(response.output.map((item) => item.type)).toEqual([
        "mcp_list_tools",
        "mcp_call",
        "message",
      ]);
      expect(response.output[1]).toMatchObject({ output: "Echo: hi", error: null });
    }
  });

  it("lists a connector's tools over the connectors API (transport auto)", async () => {
    const listing = z
      .object({ data: z.array(z.looseObject({ name: z.string() })) })
      .parse(await client.get("/connectors/revisions/tools"));
    expect(listing.data.map((listed) => listed.name)).toContain("echo");
  });
});

describe("MCP results and input requests across revisions", () => {
  let model: ScriptedModel;
  let everything: ServerUnderTest;
  let modern: McpV2Fixture;
  let patchbay: TestPatchbay;

  beforeAll(async () => {
    model = await startScriptedModel();
    everything = await startEverythingMcpServer({ transport: "streamable-http" });
    modern = await startMcpV2Fixture({ badlyMarkedTool: true });
    patchbay = await startPatchbay({ modelUrl: model.url });
  });
  afterAll(async () => {
    await patchbay.close();
    await Promise.all([everything.close(), modern.close()]);
    await model.close();
  });

  const callOnce = async (
    url: string,
    name: string,
  ): Promise<OpenAI.Responses.ResponseOutputItem> => {
    model.enqueue([{ toolCalls: [{ name, arguments: "{}" }] }, { text: "done" }]);
    const response = await patchbay.client.responses.create({
      model: "m",
      input: `Call ${name}`,
      tools: [{ type: "mcp", server_label: "s", server_url: url, require_approval: "never" }],
    });
    expect(response.status).toBe("completed");
    const call = response.output.find((item) => item.type === "mcp_call");
    if (call === undefined) throw new Error("no mcp_call");
    return call;
  };

  it("gives the text of an image result from server-everything", async () => {
    expect(await callOnce(everything.url, "get-tiny-image")).toMatchObject({
      output: [
        "Here's the image you requested:",
        "[image: image/png]",
        "The image above is the MCP logo.",
      ].join("\n"),
      error: null,
    });
  });

  it("routes a 2026 server's marked arguments by header, and never offers a badly marked tool", async () => {
    model.enqueue([
      { toolCalls: [{ name: "route", arguments: '{"region":"eu-north","priority":2}' }] },
      { text: "routed" },
    ]);
    const response = await patchbay.client.responses.create({
      model: "m",
      input: "Route it",
      tools: [
        { type: "mcp", server_label: "s", server_url: modern.url, require_approval: "never" },
      ],
    });
    const [list, call] = response.output;
    if (list?.type !== "mcp_list_tools") throw new Error("expected mcp_list_tools");
    const names = list.tools.map((tool) => tool.name);
    expect(names).toContain("route");
    expect(names).not.toContain("badly_marked");
    expect(model.requests.at(-2)?.body.tools).not.toContainEqual(
      expect.objectContaining({ function: expect.objectContaining({ name: "badly_marked" }) }),
    );
    expect(call).toMatchObject({
      type: "mcp_call",
      output: "Routed to eu-north at 2",
      error: null,
    });
    expect(modern.requestHeaders.at(-1)).toMatchObject({
      "mcp-param-region": "eu-north",
      "mcp-param-priority": "2",
    });
  });

  it("turns a 2026 server's request for input into a well-formed mcp_call.error", async () => {
    const call = await callOnce(modern.url, "confirm");
    expect(call).toMatchObject({ type: "mcp_call", output: null });
    expect(JSON.stringify(call)).toContain("-32021");
  });
});
