/**
 * The client goes away while an MCP call is running (issue 7 item 2; STYLE.md "Cancellation is an
 * AbortSignal from the client connection, passed to the model fetch and to every MCP call"): the
 * call is cancelled on the MCP server, the model is not called again, the stored response is
 * `cancelled`, and the HTTP request that carried the call is closed (else it would stay open as
 * long as the pooled session; see no-leaks). The model-only variants are in
 * test/e2e/upstream-faults.test.ts.
 */
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { connectorConfig } from "../support/config-entries.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import {
  mcpTool,
  outputOf,
  postResponse,
  readUntil,
  settlesWithin,
  timed,
  type McpToolTarget,
} from "./fault-requests.js";
import { longJobTool } from "./long-job-tool.js";

/** How long the tool would run if nobody cancelled it: far beyond every bound below. */
const TOOL_MS = 15_000;
/** Cancellation travels over loopback at once; this only absorbs scheduling on a busy runner. */
const PROPAGATION_MS = 2_000;

let model: ScriptedModel;
let mcp: McpFixture;
let patchbay: TestPatchbay | null = null;
const longJob = longJobTool();

beforeAll(async () => {
  model = await startScriptedModel();
  mcp = await startMcpFixture({ transport: "streamable-http", tools: [longJob.tool] });
});
afterEach(async () => {
  await patchbay?.close();
  patchbay = null;
});
afterAll(async () => {
  await mcp.close();
  await model.close();
});

async function startWithConnector(): Promise<TestPatchbay> {
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.connectors.push(
        connectorConfig("long_jobs", mcp.url, { transport: "streamable-http", timeoutMs: 30_000 }),
      );
    },
  });
  return patchbay;
}

type Mode = "server_url" | "connector";

interface Disconnected {
  server: TestPatchbay;
  /** Requests open on the MCP server while the call ran (its event stream and the call). */
  activeDuringCall: number;
  responseId: string | null;
  /** Model requests before this response. */
  modelRequestsBefore: number;
  cancelMs: number;
}

/** Starts a response whose model calls `long_job`, and goes away once the call is running. */
async function disconnectDuringCall(stream: boolean, via: Mode): Promise<Disconnected> {
  const server = await startWithConnector();
  const target: McpToolTarget =
    via === "server_url" ? { server_url: mcp.url } : { connector_id: "long_jobs" };
  const requestsBefore = model.requests.length;
  const started = longJob.started();
  const cancelled = longJob.cancelled();
  model.enqueue({ toolCalls: [{ name: "long_job", arguments: JSON.stringify({ ms: TOOL_MS }) }] });

  const client = new AbortController();
  const answer = postResponse(
    server.baseURL,
    { model: "m", input: "x", stream, tools: [mcpTool("jobs", target)] },
    client.signal,
  );
  await longJob.waitFor(() => longJob.started() === started + 1);
  const activeDuringCall = mcp.activeRequests;
  const responseId = stream ? await readResponseId(await answer) : null;
  client.abort();
  await answer.then(
    () => undefined,
    () => undefined,
  );
  const { ms: cancelMs } = await timed(
    longJob.waitFor(() => longJob.cancelled() === cancelled + 1),
  );
  return {
    server,
    activeDuringCall,
    responseId,
    modelRequestsBefore: requestsBefore,
    cancelMs,
  };
}

describe.each([
  { stream: true, via: "server_url" },
  { stream: false, via: "connector" },
] as const)("client disconnects during an MCP call (stream: $stream, $via)", ({ stream, via }) => {
  it("cancels the call on the MCP server, does not call the model again, stores `cancelled`", async () => {
    const { server, responseId, cancelMs, modelRequestsBefore } = await disconnectDuringCall(
      stream,
      via,
    );
    expect(cancelMs, `cancelled after ${Math.round(cancelMs)} ms`).toBeLessThan(PROPAGATION_MS);

    // Shutdown waits until every running response is stored; the cancelled one is already done.
    const { ms: settleMs } = await timed(server.runtime.app.responses.shutdown(TOOL_MS));
    expect(settleMs, `stored after ${Math.round(settleMs)} ms`).toBeLessThan(PROPAGATION_MS);
    expect(model.requests.length - modelRequestsBefore, "the model is not called again").toBe(1);

    const id = responseId ?? onlyStoredResponseId(server);
    const stored = (await (await fetch(`${server.baseURL}/responses/${id}`)).json()) as Record<
      string,
      unknown
    >;
    expect(stored.status).toBe("cancelled");
    expect(outputOf(stored).some((item) => item.type === "mcp_call")).toBe(true);
  });

  it("closes the HTTP request that carried the cancelled call", async () => {
    const { activeDuringCall } = await disconnectDuringCall(stream, via);
    // Cancelling the tool run is not enough: the server never answers a cancelled request (MCP
    // spec, "Cancellation"), so unless Patchbay closes it, the request stays open — and holds a
    // socket at both ends — for as long as its pooled session lives.
    const ended = await settlesWithin(
      mcp.waitFor(() => mcp.activeRequests < activeDuringCall),
      PROPAGATION_MS,
    );
    expect(ended, "the tools/call HTTP request is closed after the cancellation").toBe(true);
  });
});

/** Reads SSE until the `response.created` frame and returns the response id. */
async function readResponseId(response: Response): Promise<string> {
  expect(response.status).toBe(200);
  const [, id] = await readUntil(
    response.body!.getReader(),
    /"type":"response\.created".*?"id":"(resp_[A-Za-z0-9_-]+)"/,
  );
  return id!;
}

/** The one response this Patchbay stored (a JSON client that went away never saw its id). */
function onlyStoredResponseId(server: TestPatchbay): string {
  const backend = server.config.storage.backend;
  if (backend.kind !== "sqlite") throw new Error("the fault tests run on SQLite");
  const database = new Database(backend.dbPath, { readonly: true });
  try {
    const rows = z
      .array(z.object({ id: z.string() }))
      .parse(database.prepare("SELECT id FROM responses").all());
    expect(rows).toHaveLength(1);
    return rows[0]!.id;
  } finally {
    database.close();
  }
}
