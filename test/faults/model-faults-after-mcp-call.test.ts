/**
 * Model faults on the turn *after* an MCP call (issue 7 item 2; PRODUCT.md §8.15). The plain
 * first-turn cases are in test/e2e/upstream-faults.test.ts; here the MCP work is already done and
 * visible when the model fails: streaming ends with `response.failed` after the `mcp_call` events
 * (and the stored response keeps the call), JSON answers with the mapped HTTP status. The model
 * is never retried, and a hang is cut at the provider's `timeout_ms`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import {
  startScriptedModel,
  type ScriptedModel,
  type ScriptedStep,
} from "../support/scripted-model-server.js";
import {
  mcpTool,
  outputOf,
  postResponse,
  readError,
  readStream,
  terminalResponse,
  timed,
} from "./fault-requests.js";

const PROVIDER_TIMEOUT_MS = 400;
/** Scheduling slack on top of a timeout on a loaded 2-core runner. */
const SLACK_MS = 1_500;
const IMMEDIATE_MS = 2_000;

let model: ScriptedModel;
let mcp: McpFixture;
let patchbay: TestPatchbay;

beforeAll(async () => {
  model = await startScriptedModel();
  mcp = await startMcpFixture({ transport: "streamable-http" });
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      for (const provider of config.inference) provider.timeoutMs = PROVIDER_TIMEOUT_MS;
    },
  });
});
afterAll(async () => {
  await patchbay.close();
  await mcp.close();
  await model.close();
});

interface ModelFault {
  name: string;
  step: ScriptedStep;
  /** The JSON answer's status and error fields. */
  status: number;
  error: Record<string, unknown>;
  /** The `response.failed` error code when streaming. */
  streamCode: "server_error" | "rate_limit_exceeded";
  withinMs: number;
  headers?: Record<string, string>;
  /** Patchbay gives up the upstream request itself (the scripted model sees it aborted). */
  abandonsUpstream?: boolean;
}

const faults: ModelFault[] = [
  {
    name: "500",
    step: { error: { status: 500, body: { error: { message: "GPU on fire" } } } },
    status: 502,
    error: { type: "server_error", code: "server_error" },
    streamCode: "server_error",
    withinMs: IMMEDIATE_MS,
  },
  {
    name: "429 with Retry-After",
    step: {
      error: {
        status: 429,
        body: { error: { message: "slow down" } },
        headers: { "retry-after": "7" },
      },
    },
    status: 429,
    error: { type: "rate_limit_error", code: "rate_limit_exceeded", message: "slow down" },
    streamCode: "rate_limit_exceeded",
    withinMs: IMMEDIATE_MS,
    headers: { "retry-after": "7" },
  },
  {
    name: "hang past timeout_ms",
    step: { hang: true },
    status: 504,
    error: { type: "server_error" },
    streamCode: "server_error",
    withinMs: PROVIDER_TIMEOUT_MS + SLACK_MS,
    abandonsUpstream: true,
  },
  {
    name: "drop mid-stream",
    step: { dropAfterChunks: 2, text: "half an ans", chunks: 4 },
    status: 502,
    error: { type: "server_error", code: "server_error" },
    streamCode: "server_error",
    withinMs: IMMEDIATE_MS,
  },
  {
    name: "a malformed chunk",
    step: { sse: ["{not json"] },
    status: 502,
    error: { type: "server_error", code: "server_error" },
    streamCode: "server_error",
    withinMs: IMMEDIATE_MS,
  },
];

function request(stream: boolean): Record<string, unknown> {
  return {
    model: "m",
    input: "Echo hi, then answer",
    stream,
    tools: [mcpTool("fixture", { server_url: mcp.url })],
  };
}

describe.each(faults)("model $name on the turn after an MCP call", (fault) => {
  it("streaming: response.failed after the mcp_call events; the stored response keeps the call", async () => {
    const requestsBefore = model.requests.length;
    const abortedBefore = model.aborted;
    const callsBefore = mcp.counters.callTool;
    model.enqueue([{ toolCalls: [{ name: "echo", arguments: '{"message":"hi"}' }] }, fault.step]);
    const { value: response, ms } = await timed(postResponse(patchbay.baseURL, request(true)));
    const events = await readStream(response);
    const types = events.map((event) => event.type);
    expect(types.at(-1)).toBe("response.failed");
    expect(types.indexOf("response.mcp_call.completed")).toBeGreaterThan(0);
    expect(types.indexOf("response.mcp_call.completed")).toBeLessThan(types.length - 1);
    const failed = terminalResponse(events);
    expect(failed).toMatchObject({ status: "failed", error: { code: fault.streamCode } });
    expect(outputOf(failed).map((item) => [item.type, item.status])).toContainEqual([
      "mcp_call",
      "completed",
    ]);
    expect(ms, `ended after ${Math.round(ms)} ms`).toBeLessThan(fault.withinMs);
    expect(model.requests.length - requestsBefore, "the model is not retried").toBe(2);
    expect(mcp.counters.callTool).toBe(callsBefore + 1);
    if (fault.abandonsUpstream) await model.waitForAbort(abortedBefore + 1);

    const stored = await fetch(`${patchbay.baseURL}/responses/${String(failed.id)}`);
    const storedBody = (await stored.json()) as Record<string, unknown>;
    expect(storedBody).toMatchObject({ status: "failed", error: { code: fault.streamCode } });
    expect(outputOf(storedBody).some((item) => item.type === "mcp_call")).toBe(true);
  });

  it(`JSON: ${fault.status} with the mapped error`, async () => {
    const requestsBefore = model.requests.length;
    model.enqueue([{ toolCalls: [{ name: "echo", arguments: '{"message":"hi"}' }] }, fault.step]);
    const { value: response, ms } = await timed(postResponse(patchbay.baseURL, request(false)));
    expect(response.status).toBe(fault.status);
    for (const [name, value] of Object.entries(fault.headers ?? {})) {
      expect(response.headers.get(name)).toBe(value);
    }
    expect((await readError(response)).error).toMatchObject(fault.error);
    expect(ms, `answered after ${Math.round(ms)} ms`).toBeLessThan(fault.withinMs);
    expect(model.requests.length - requestsBefore, "the model is not retried").toBe(2);
  });
});
