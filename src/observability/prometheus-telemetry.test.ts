/**
 * Bounded labels (issue 12 §4): 10,000 distinct `server_label`s and `server_url`s, and 10,000
 * servers of one registry, do not grow `/metrics`; catalog connectors get their own series.
 * Targets are built by the real `toMcpTarget` and reported by the real `InstrumentedMcpClient`.
 */
import { describe, expect, it } from "vitest";
import type { ResolvedConnector } from "../connectors/connector-catalog.js";
import { toMcpTarget } from "../connectors/to-mcp-target.js";
import { McpConnectionError } from "../errors/mcp-connection-error.js";
import { InstrumentedMcpClient } from "../mcp/instrumented-mcp-client.js";
import type { McpClient, McpServerTarget } from "../mcp/mcp-client.js";
import { PrometheusTelemetry } from "./prometheus-telemetry.js";

/** Answers every target at once; a URL ending in `/down` cannot be connected to. */
const answeringClient: McpClient = {
  acquire: (target: McpServerTarget) =>
    target.url.endsWith("/down")
      ? Promise.reject(new McpConnectionError("Reason: connection failed", { kind: "connection" }))
      : Promise.resolve({
          protocolRevision: "2025-06-18",
          listTools: () => Promise.resolve([]),
          callTool: () => Promise.resolve({ ok: true, output: "done" }),
          release: () => Promise.resolve(),
        }),
  probe: () => Promise.resolve({ tools: [], protocolRevision: "2025-06-18" }),
  forgetServer: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

const access = { headers: {} };
const serverUrl = (url: string) =>
  toMcpTarget({ kind: "server_url", url, timeoutMs: 1000 }, access, null);
const connector = (connectorId: string, source: ResolvedConnector["source"]) =>
  toMcpTarget(
    {
      kind: "connector",
      connector: {
        connectorId,
        source,
        url: "http://mcp.example/mcp",
        transport: "auto",
        headers: {},
        description: null,
        allowedTools: null,
        requireApproval: null,
        timeoutMs: null,
      },
    },
    access,
    null,
  );

async function exercise(client: McpClient, target: McpServerTarget): Promise<void> {
  const signal = new AbortController().signal;
  try {
    const lease = await client.acquire(target, signal);
    await lease.listTools(signal);
    await lease.callTool("echo", {}, signal);
    await lease.release();
  } catch (error) {
    if (!(error instanceof McpConnectionError)) throw error;
  }
}

const seriesOf = (text: string) => text.split("\n").filter((line) => /^patchbay_mcp/.test(line));

describe("PrometheusTelemetry labels", () => {
  it("keeps the MCP series constant across 10,000 user URLs and registry servers", async () => {
    const telemetry = new PrometheusTelemetry();
    const client = new InstrumentedMcpClient(answeringClient, [telemetry]);
    const round = async (from: number, to: number) => {
      for (let index = from; index < to; index += 1) {
        await exercise(client, serverUrl(`http://user-${index}.example/mcp?label=label-${index}`));
        await exercise(client, serverUrl(`http://user-${index}.example/down`));
        await exercise(client, connector(`mcp::public::io.example/server-${index}`, "registry"));
      }
    };
    await round(0, 10);
    const early = seriesOf(await telemetry.render());
    await round(10, 10_000);
    const late = seriesOf(await telemetry.render());
    expect(late.length).toBe(early.length);
    expect(late.join("\n")).not.toMatch(/user-|label-|server-\d/);
    expect(late).toContain(
      'patchbay_mcp_requests_total{source="server_url",connector="",operation="call_tool",outcome="ok"} 10000',
    );
    expect(late).toContain(
      'patchbay_mcp_requests_total{source="server_url",connector="",operation="connect",outcome="connection_failed"} 10000',
    );
    expect(late).toContain(
      'patchbay_mcp_requests_total{source="registry",connector="public",operation="list_tools",outcome="ok"} 10000',
    );
  });

  it("labels config and admin connectors by id, and folds ids past 1,000 into other", async () => {
    const telemetry = new PrometheusTelemetry();
    const client = new InstrumentedMcpClient(answeringClient, [telemetry]);
    await exercise(client, connector("github", "config"));
    await exercise(client, connector("notes", "api"));
    const text = await telemetry.render();
    expect(text).toContain(
      'patchbay_mcp_requests_total{source="config",connector="github",operation="call_tool",outcome="ok"} 1',
    );
    expect(text).toContain('source="api",connector="notes",operation="list_tools"');
    for (let index = 0; index < 1_200; index += 1)
      await exercise(client, connector(`churned-${index}`, "api"));
    const churned = await telemetry.render();
    expect(churned).toContain(
      'source="api",connector="other",operation="connect",outcome="ok"} 202',
    );
    expect(churned).not.toContain("churned-1100");
  });
});
