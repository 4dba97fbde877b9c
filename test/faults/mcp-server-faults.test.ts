/**
 * MCP server faults (issue 7 item 2; PRODUCT.md §3 "Errors", §8.5): a server that is down, goes
 * away between listing and calling, rejects the credentials, is slower than its timeout, hangs,
 * or drops the connection mid-answer — reached through a user `server_url` and through a
 * run.yaml connector. Listing failures are a 424 in both modes; call failures are a failed
 * `mcp_call` the model sees, and the response still completes. Each outcome has a deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ConnectorConfig } from "../../src/connectors/connector-schema.js";
import { connectorConfig } from "../support/config-entries.js";
import { fixtureTool, startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { unreachableUrl } from "../support/stub-http-peers.js";
import { startDroppingServer, startHangingServer, type MisbehavingServer } from "./fault-peers.js";
import {
  mcpTool,
  outputOf,
  postResponse,
  readError,
  readStream,
  settlesWithin,
  terminalResponse,
  timed,
  type McpToolTarget,
} from "./fault-requests.js";

/** The connector timeout for the slow and hanging cases. */
const CONNECTOR_TIMEOUT_MS = 300;
/** Scheduling slack on top of a timeout on a loaded 2-core runner. */
const SLACK_MS = 1_500;
/** A refused, rejected or dropped connection has no timeout to wait for: it is immediate. */
const IMMEDIATE_MS = 2_000;
const TOKEN = "fault-token";

type Mode = "server_url" | "connector";

let model: ScriptedModel;
let healthy: McpFixture;
let secured: McpFixture;
let controller: McpFixture;
const victims = new Map<Mode, McpFixture>();
let hanging: MisbehavingServer;
let droppingAll: MisbehavingServer;
let droppingCalls: MisbehavingServer;
let downUrl: string;
let patchbay: TestPatchbay;

const connector = (connectorId: string, url: string, extra: Partial<ConnectorConfig> = {}) =>
  connectorConfig(connectorId, url, { timeoutMs: 5_000, ...extra });

beforeAll(async () => {
  model = await startScriptedModel();
  healthy = await startMcpFixture({ transport: "streamable-http" });
  secured = await startMcpFixture({ requireBearer: TOKEN });
  victims.set("server_url", await startMcpFixture());
  victims.set("connector", await startMcpFixture());
  controller = await startMcpFixture({
    tools: [
      fixtureTool({
        name: "stop_peer",
        description: "Stops another MCP server (the fault under test)",
        input: { peer: z.enum(["server_url", "connector"]) },
        run: async (args) => {
          await victims.get(args.peer)?.close();
          victims.delete(args.peer);
          return { content: [{ type: "text", text: `stopped ${args.peer}` }] };
        },
      }),
    ],
  });
  hanging = await startHangingServer();
  droppingAll = await startDroppingServer();
  droppingCalls = await startDroppingServer({
    upstream: healthy.url,
    drop: (method) => method === "tools/call",
  });
  downUrl = await unreachableUrl();
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.connectors.push(
        connector("fault_down", downUrl),
        connector("fault_secured", secured.url),
        connector("fault_victim", victims.get("connector")!.url),
        connector("fault_slow", healthy.url, { timeoutMs: CONNECTOR_TIMEOUT_MS }),
        connector("fault_hanging", hanging.url, { timeoutMs: CONNECTOR_TIMEOUT_MS }),
        connector("fault_hanging_sse", hanging.url.replace(/\/mcp$/, "/sse"), {
          transport: "sse",
          timeoutMs: CONNECTOR_TIMEOUT_MS,
        }),
        connector("fault_drop_all", droppingAll.url),
        connector("fault_drop_calls", droppingCalls.url, { transport: "streamable-http" }),
      );
    },
  });
});
afterAll(async () => {
  await patchbay.close();
  await Promise.all([
    healthy.close(),
    secured.close(),
    controller.close(),
    ...[...victims.values()].map((victim) => victim.close()),
    hanging.close(),
    droppingAll.close(),
    droppingCalls.close(),
  ]);
  await model.close();
});

/** The tool target for a fault, as a user `server_url` or as the run.yaml connector for it. */
function target(mode: Mode, url: string, connectorId: string, token?: string): McpToolTarget {
  const authorization = token === undefined ? {} : { authorization: token };
  return mode === "server_url"
    ? { server_url: url, ...authorization }
    : { connector_id: connectorId, ...authorization };
}

async function expectListingFailure(
  tool: Record<string, unknown>,
  expected: { label: string; text: string; withinMs: number; code: string },
): Promise<void> {
  for (const stream of [false, true]) {
    const requestsBefore = model.requests.length;
    const { value: response, ms } = await timed(
      postResponse(patchbay.baseURL, { model: "m", input: "x", stream, tools: [tool] }),
    );
    expect(response.status, `stream: ${stream}`).toBe(424);
    const body = await readError(response);
    expect(body.error).toMatchObject({
      type: "external_connector_error",
      code: expected.code,
      param: "tools",
    });
    expect(body.error.message).toContain(
      `Error retrieving tool list from MCP server: '${expected.label}'`,
    );
    expect(body.error.message).toContain(expected.text);
    expect(ms, `answered after ${Math.round(ms)} ms`).toBeLessThan(expected.withinMs);
    expect(model.requests.length, "the model is never called").toBe(requestsBefore);
  }
}

describe.each(["server_url", "connector"] as const)("MCP server faults via %s", (mode) => {
  it("a server that is down (refused port) → 424 in both modes, at once", async () => {
    await expectListingFailure(mcpTool("down", target(mode, downUrl, "fault_down")), {
      label: "down",
      text: "ECONNREFUSED",
      withinMs: IMMEDIATE_MS,
      code: "connection_failed",
    });
  });

  it("a 401 (wrong token) → 424 naming 'Http status code: 401', at once", async () => {
    await expectListingFailure(
      mcpTool("secured", target(mode, secured.url, "fault_secured", "wrong-token")),
      {
        label: "secured",
        text: "Http status code: 401",
        withinMs: IMMEDIATE_MS,
        code: "http_error",
      },
    );
  });

  it("a server dropping the connection mid-answer while listing → 424, at once", async () => {
    await expectListingFailure(
      mcpTool("dropper", target(mode, droppingAll.url, "fault_drop_all")),
      {
        label: "dropper",
        text: "Reason: connection failed",
        withinMs: IMMEDIATE_MS,
        code: "connection_failed",
      },
    );
  });

  it("a server that refuses connections between listing and calling → failed mcp_call, response completes", async () => {
    const victim = victims.get(mode)!;
    model.enqueue([
      { toolCalls: [{ name: "stop_peer", arguments: JSON.stringify({ peer: mode }) }] },
      { toolCalls: [{ name: "echo", arguments: '{"message":"anyone there?"}' }] },
      { text: "The server went away." },
    ]);
    const { value: response, ms } = await timed(
      postResponse(patchbay.baseURL, {
        model: "m",
        input: "x",
        stream: true,
        tools: [
          mcpTool("controller", { server_url: controller.url }),
          mcpTool("victim", target(mode, victim.url, "fault_victim")),
        ],
      }),
    );
    const events = await readStream(response);
    const final = terminalResponse(events);
    expect(final.status).toBe("completed");
    const calls = outputOf(final).filter((item) => item.type === "mcp_call");
    expect(calls.map((call) => [call.name, call.status])).toEqual([
      ["stop_peer", "completed"],
      ["echo", "failed"],
    ]);
    expect(calls[1]?.error).toMatchObject({ type: "http_error", code: 502 });
    expect(events.map((event) => event.type)).toContain("response.mcp_call.failed");
    const lastTurn = model.requests.at(-1)!.body.messages as Array<Record<string, unknown>>;
    expect(lastTurn.at(-1)).toMatchObject({ role: "tool" });
    expect(String(lastTurn.at(-1)?.content)).toContain("connection failed");
    expect(ms).toBeLessThan(IMMEDIATE_MS);
  });

  it("a server dropping the connection mid-answer to a call → failed mcp_call, response completes", async () => {
    model.enqueue([
      { toolCalls: [{ name: "echo", arguments: '{"message":"hello?"}' }] },
      { text: "The call broke." },
    ]);
    const { value: response, ms } = await timed(
      postResponse(patchbay.baseURL, {
        model: "m",
        input: "x",
        tools: [mcpTool("dropper", target(mode, droppingCalls.url, "fault_drop_calls"))],
      }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.status).toBe("completed");
    const call = outputOf(body).find((item) => item.type === "mcp_call");
    expect(call).toMatchObject({ status: "failed", output: null });
    expect(call?.error).toMatchObject({ type: "http_error", code: 502 });
    expect(ms).toBeLessThan(IMMEDIATE_MS);
  });
});

describe("MCP server faults bounded by the connector timeout", () => {
  it("a call slower than timeout_ms → mcp_call.error http_error 504 within the timeout; its session and request are closed", async () => {
    const tools = [mcpTool("slowpoke", { connector_id: "fault_slow" })];
    for (const stream of [false, true]) {
      // A quick call first: it pools a session and caches the listing, so the short timeout is
      // spent on the slow call alone (a timed-out session is replaced, the listing is not redone).
      model.enqueue([
        { toolCalls: [{ name: "echo", arguments: '{"message":"warm"}' }] },
        { text: "" },
      ]);
      const warm = await postResponse(patchbay.baseURL, { model: "m", input: "x", tools });
      expect(warm.status).toBe(200);
      await warm.body?.cancel();
      const callsBefore = healthy.counters.callTool;
      const activeBefore = healthy.activeRequests;
      model.enqueue([
        { toolCalls: [{ name: "slow", arguments: '{"ms":5000}' }] },
        { text: "Too slow." },
      ]);
      const { value: response, ms } = await timed(
        postResponse(patchbay.baseURL, {
          model: "m",
          input: "x",
          stream,
          tools,
        }),
      );
      const final = stream
        ? terminalResponse(await readStream(response))
        : ((await response.json()) as Record<string, unknown>);
      expect(final.status).toBe("completed");
      const call = outputOf(final).find((item) => item.type === "mcp_call");
      expect(call).toMatchObject({ name: "slow", status: "failed" });
      expect(call?.error).toMatchObject({
        type: "http_error",
        code: 504,
        message: `Reason: timed out after ${CONNECTOR_TIMEOUT_MS} ms`,
      });
      expect(healthy.counters.callTool).toBe(callsBefore + 1);
      expect(ms, `answered after ${Math.round(ms)} ms`).toBeLessThan(
        CONNECTOR_TIMEOUT_MS + SLACK_MS,
      );
      // The timed-out session is dropped: the call's request and its event stream end with it.
      const released = await settlesWithin(
        healthy.waitFor(() => healthy.activeRequests < activeBefore),
        IMMEDIATE_MS,
      );
      expect(released, "the timed-out call's HTTP request is closed").toBe(true);
    }
  });

  it.each([
    ["streamable-http", "fault_hanging"],
    ["sse", "fault_hanging_sse"],
  ])(
    "a server that accepts and never answers (%s) → 424 within the timeout",
    async (_transport, id) => {
      const requestsBefore = hanging.requests;
      await expectListingFailure(mcpTool("hanging", { connector_id: id }), {
        label: "hanging",
        text: `Reason: timed out after ${CONNECTOR_TIMEOUT_MS} ms`,
        withinMs: CONNECTOR_TIMEOUT_MS + SLACK_MS,
        code: "timeout",
      });
      expect(hanging.requests).toBeGreaterThan(requestsBefore);
      await hanging.waitFor(() => hanging.openRequests === 0);
    },
  );
});
