/**
 * The fast-failing faults the leak check injects by the thousand (issue 7 item 2), one function
 * per fault class of the other files in this folder, each asserting its defined outcome. The
 * scripted model picks its answer from the request's input text (`scriptFor`), so concurrent
 * faults never consume each other's script steps.
 */
import { expect } from "vitest";
import { z } from "zod";
import type { ScriptedStep } from "../support/scripted-model-server.js";
import {
  mcpTool,
  postResponse,
  readStream,
  readUntil,
  terminalResponse,
  type McpToolTarget,
} from "./fault-requests.js";
import type { LongJob } from "./long-job-tool.js";

/** Where each fault is aimed (URLs of the misbehaving peers, ids of the run.yaml connectors). */
export interface FaultTargets {
  baseURL: string;
  downUrl: string;
  securedUrl: string;
  droppingUrl: string;
  dropCallsUrl: string;
  healthyUrl: string;
  hangingConnector: string;
  slowConnector: string;
  registryId: string;
}

export interface FaultKind {
  name: string;
  /**
   * Injects the fault once and checks its outcome; `serial` is unique per injection. Resolves
   * with a label when the fault has more than one defined outcome, to tell them apart.
   */
  run(targets: FaultTargets, serial: number): Promise<string | void>;
}

const ChatBodySchema = z.looseObject({
  messages: z.array(z.looseObject({ role: z.string(), content: z.unknown() })),
});

/** The model's answer for a request, chosen by the directive in its input text. */
export function scriptFor(body: Record<string, unknown>): ScriptedStep {
  const messages = ChatBodySchema.parse(body).messages;
  const content = messages.find((message) => message.role === "user")?.content;
  const directive = typeof content === "string" ? content : "";
  const afterToolCall = messages.some((message) => message.role === "tool");
  const [kind = "", serial = ""] = directive.split(":");
  switch (kind) {
    case "model-500":
      return { error: { status: 500, body: { error: { message: "injected" } } } };
    case "model-429":
      return { error: { status: 429, body: { error: { message: "injected" } } } };
    case "model-malformed":
      return { sse: ["{not json"] };
    case "abort-stream":
      return { stallAfterChunks: 1, text: "abcd", chunks: 4 };
    case "mcp-then-500":
      return afterToolCall
        ? { error: { status: 500, body: { error: { message: "injected" } } } }
        : { toolCalls: [{ name: "echo", arguments: '{"message":"leak check"}' }] };
    case "call-dropped":
      return afterToolCall
        ? { text: "the call broke" }
        : { toolCalls: [{ name: "echo", arguments: '{"message":"leak check"}' }] };
    case "call-timeout":
      return afterToolCall
        ? { text: "the call timed out" }
        : { toolCalls: [{ name: "slow", arguments: '{"ms":2000}' }] };
    case "abort-during-call":
      return {
        toolCalls: [{ name: "long_job", arguments: JSON.stringify({ serial, ms: 60_000 }) }],
      };
    default:
      return { text: "ok" };
  }
}

async function expectStatus(
  response: Promise<Response>,
  status: number,
  code: string | null = null,
): Promise<void> {
  const answer = await response;
  expect(answer.status).toBe(status);
  const body = (await answer.json()) as { error?: { code?: string | null } };
  if (code !== null) expect(body.error?.code).toBe(code);
}

function create(targets: FaultTargets, input: string, extra: Record<string, unknown> = {}) {
  return postResponse(targets.baseURL, { model: "m", input, ...extra });
}

/** Reads a stream until its first text delta, then goes away (the connection is dropped). */
async function abortAfterFirstDelta(targets: FaultTargets, serial: number): Promise<void> {
  const client = new AbortController();
  const response = await postResponse(
    targets.baseURL,
    { model: "m", input: `abort-stream:${serial}`, stream: true },
    client.signal,
  );
  const reader = response.body!.getReader();
  await readUntil(reader, /response\.output_text\.delta/);
  client.abort();
  await reader.cancel().catch(() => undefined);
}

async function expectFailedCall(response: Promise<Response>, code: number): Promise<void> {
  const answer = await response;
  expect(answer.status).toBe(200);
  const body = (await answer.json()) as { status: string; output: Array<Record<string, unknown>> };
  expect(body.status).toBe("completed");
  expect(body.output.find((item) => item.type === "mcp_call")).toMatchObject({
    status: "failed",
    error: { type: "http_error", code },
  });
}

/** A tool whose listing fails: a 424 with `code` saying why, before the model is called. */
function listingFault(
  name: string,
  serverLabel: string,
  code: string,
  target: (targets: FaultTargets) => McpToolTarget,
): FaultKind {
  return {
    name,
    run: (targets, serial) =>
      expectStatus(
        create(targets, `x:${serial}`, { tools: [mcpTool(serverLabel, target(targets))] }),
        424,
        code,
      ),
  };
}

/** The mix injected 1,000 times: refused, rejected, dropped, hung, failing and abandoned. */
export const faultMix: readonly FaultKind[] = [
  listingFault("MCP server down", "down", "connection_failed", (targets) => ({
    server_url: targets.downUrl,
  })),
  listingFault("MCP 401", "secured", "http_error", (targets) => ({
    server_url: targets.securedUrl,
    authorization: "wrong",
  })),
  listingFault(
    "MCP drops the connection while listing",
    "dropper",
    "connection_failed",
    (targets) => ({
      server_url: targets.droppingUrl,
    }),
  ),
  listingFault("MCP hangs (connector timeout)", "hanging", "timeout", (targets) => ({
    connector_id: targets.hangingConnector,
  })),
  {
    name: "MCP drops the connection during a call",
    run: (targets, serial) =>
      expectFailedCall(
        create(targets, `call-dropped:${serial}`, {
          tools: [mcpTool("dropper", { server_url: targets.dropCallsUrl })],
        }),
        502,
      ),
  },
  {
    name: "MCP call past its timeout",
    run: async (targets, serial) => {
      const response = await create(targets, `call-timeout:${serial}`, {
        tools: [mcpTool("slowpoke", { connector_id: targets.slowConnector })],
      });
      // With 16 in flight on a busy runner, connect + list can outlast the short timeout too;
      // that is the listing's defined outcome (424), and it exercises the same deadline.
      if (response.status === 424) {
        const body = (await response.json()) as { error: { message: string } };
        expect(body.error.message).toContain("timed out");
        return "listing timed out: 424";
      }
      await expectFailedCall(Promise.resolve(response), 504);
      return "call timed out: failed mcp_call";
    },
  },
  {
    name: "model 500",
    run: (targets, serial) => expectStatus(create(targets, `model-500:${serial}`), 502),
  },
  {
    name: "model 429",
    run: (targets, serial) =>
      expectStatus(create(targets, `model-429:${serial}`), 429, "rate_limit_exceeded"),
  },
  {
    name: "model malformed chunk",
    run: (targets, serial) =>
      expectStatus(create(targets, `model-malformed:${serial}`, { stream: true }), 502),
  },
  {
    name: "model 500 after an MCP call (stream)",
    run: async (targets, serial) => {
      const response = await create(targets, `mcp-then-500:${serial}`, {
        stream: true,
        tools: [mcpTool("fixture", { server_url: targets.healthyUrl })],
      });
      expect(terminalResponse(await readStream(response)).status).toBe("failed");
    },
  },
  { name: "client disconnects mid-stream", run: abortAfterFirstDelta },
  {
    name: "registry answers garbage (forced sync)",
    run: async (targets) => {
      const response = await fetch(
        `${targets.baseURL}/admin/mcp_registries/${targets.registryId}/sync`,
        { method: "POST" },
      );
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ error: { code: "registry_error" } });
    },
  },
];

/** Goes away once the MCP server has started the call (the leak found by this suite). */
export function abortDuringCall(longJob: LongJob): FaultKind {
  return {
    name: "client disconnects during an MCP call",
    run: async (targets, serial) => {
      const client = new AbortController();
      const answer = postResponse(
        targets.baseURL,
        {
          model: "m",
          input: `abort-during-call:${serial}`,
          tools: [mcpTool("jobs", { server_url: targets.healthyUrl })],
        },
        client.signal,
      ).catch(() => undefined);
      await longJob.whenStarted(String(serial));
      client.abort();
      await answer;
    },
  };
}

/** Runs `count` injections with at most `concurrency` in flight; returns how many of each kind. */
export async function injectFaults(
  targets: FaultTargets,
  kinds: readonly FaultKind[],
  count: number,
  concurrency: number,
  firstSerial = 0,
): Promise<Map<string, number>> {
  const tally = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const position = next;
      next += 1;
      const kind = kinds[position % kinds.length]!;
      let outcome: string | void;
      try {
        outcome = await kind.run(targets, firstSerial + position);
      } catch (error) {
        throw new Error(
          `fault '${kind.name}' (#${firstSerial + position}) did not end as defined`,
          {
            cause: error,
          },
        );
      }
      const key = outcome === undefined ? kind.name : `${kind.name} (${outcome})`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return tally;
}
