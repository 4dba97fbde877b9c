import { createServer } from "node:http";
import { Readable } from "node:stream";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { McpConnectionError } from "../errors/mcp-connection-error.js";
import { listenOnLoopback } from "../../test/support/listen-on-loopback.js";
import { sdkMcpClientHarness } from "../../test/support/sdk-mcp-client-harness.js";
import { startMcpV2Fixture, type McpV2Fixture } from "../../test/support/mcp-v2-fixture-server.js";

const { fixture, client, defer, target, live } = sdkMcpClientHarness();

async function v2Fixture(
  options: Parameters<typeof startMcpV2Fixture>[0] = {},
): Promise<McpV2Fixture> {
  const server = await startMcpV2Fixture(options);
  defer(() => server.close());
  return server;
}

/** One URL in front of whichever server `target.url` names (a deployment rolled forward or back). */
async function switchingProxy(target: { url: string }): Promise<string> {
  const server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === "string" && name !== "host" && name !== "content-length")
          headers.set(name, value);
      }
      const upstream = await fetch(target.url, {
        method: request.method ?? "GET",
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      response.writeHead(upstream.status, Object.fromEntries(upstream.headers));
      if (upstream.body === null) return void response.end();
      Readable.fromWeb(upstream.body).pipe(response);
    })().catch(() => response.destroy());
  });
  const port = await listenOnLoopback(server);
  defer(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${port}/mcp`;
}

describe("SdkMcpClient across MCP protocol revisions", () => {
  it("probes again once a remembered 2026 server rolled back to 2025 breaks its session", async () => {
    const modern = await v2Fixture({ legacy: "reject" });
    const legacy = await fixture({ transport: "streamable-http" });
    const upstream = { url: modern.url };
    const url = await switchingProxy(upstream);
    const mcp = client({ listToolsTtlMs: 0 });
    const first = await mcp.acquire(target(url), live());
    expect(first.protocolRevision).toBe("2026-07-28");
    await first.release();

    upstream.url = legacy.streamableUrl;
    const stale = await mcp.acquire(target(url), live());
    await expect(stale.listTools(live())).rejects.toBeInstanceOf(McpConnectionError);
    await stale.release();
    const fresh = await mcp.acquire(target(url), live());
    expect(fresh.protocolRevision).toBe("2025-11-25");
    expect(await fresh.listTools(live())).toHaveLength(6);
    await fresh.release();
  });

  it("speaks 2026-07-28 to a stateless SDK 2.x server, probing once per pool key", async () => {
    const server = await v2Fixture({ legacy: "reject" });
    const mcp = client({ maxSessionsPerKey: 2 });
    const first = await mcp.acquire(target(server.url), live());
    expect(first.protocolRevision).toBe("2026-07-28");
    expect(await first.callTool("echo", { message: "hi" }, live())).toEqual({
      ok: true,
      output: "Echo: hi",
    });
    // A second session while the first is leased adopts the remembered discover answer.
    const second = await mcp.acquire(target(server.url), live());
    expect(await second.callTool("echo", { message: "again" }, live())).toMatchObject({ ok: true });
    expect(mcp.openSessions).toBe(2);
    expect(server.methods["server/discover"]).toBe(1);
    expect(server.counters.initialize).toBe(0);
    expect(new Set(server.protocolHeaders)).toEqual(new Set(["2026-07-28"]));
    await Promise.all([first.release(), second.release()]);
  });

  it.each(["streamable-http", "sse"] as const)(
    "speaks 2025-11-25 to an SDK 1.x server over %s, one initialize per session",
    async (transport) => {
      const server = await fixture();
      const url = transport === "sse" ? server.sseUrl : server.streamableUrl;
      const mcp = client({ maxSessionsPerKey: 2 });
      const first = await mcp.acquire(target(url, { transport }), live());
      expect(first.protocolRevision).toBe("2025-11-25");
      const second = await mcp.acquire(target(url, { transport }), live());
      expect(second.protocolRevision).toBe("2025-11-25");
      expect(server.counters.initialize).toBe(2);
      const probes = server.requests.filter((request) => request.method === "POST").length;
      // Streamable HTTP: the first connect's server/discover probe is refused, then remembered.
      expect(probes).toBe(transport === "sse" ? 4 : 5);
      await Promise.all([first.release(), second.release()]);
    },
  );

  it("honours the server's ttlMs over the configured TTL", async () => {
    const cached = await v2Fixture({ toolsTtlMs: 60_000 });
    const fresh = await v2Fixture({ toolsTtlMs: 0 });
    const mcp = client({ listToolsTtlMs: 30_000 });
    for (const server of [cached, fresh]) {
      const lease = await mcp.acquire(target(server.url), live());
      expect((await lease.listTools(live())).map((tool) => tool.name)).toContain("echo");
      await lease.listTools(live());
      await lease.release();
    }
    expect(cached.counters.listTools).toBe(1);
    expect(fresh.counters.listTools).toBe(2);
  });

  it("drops the cached listing when a 2025 session's server says its tools changed", async () => {
    const servers: McpServer[] = [];
    const server = await fixture({ onServer: (created) => servers.push(created) });
    const mcp = client({ listToolsTtlMs: 3_600_000 });
    const lease = await mcp.acquire(target(server.streamableUrl), live());
    expect(await lease.listTools(live())).toHaveLength(6);
    servers.at(-1)?.registerTool("late", { inputSchema: z.object({}) }, () => ({ content: [] }));
    await vi.waitFor(async () => expect(await lease.listTools(live())).toHaveLength(7));
    expect(server.counters.listTools).toBe(2);
    await lease.release();
  });

  it("refuses a 2026 server's request for input with a well-formed error", async () => {
    const server = await v2Fixture();
    const lease = await client().acquire(target(server.url), live());
    const outcome = await lease.callTool("confirm", {}, live());
    expect(outcome).toEqual({
      ok: false,
      error: {
        type: "mcp_protocol_error",
        code: -32021,
        message: expect.stringContaining("elicitation"),
      },
    });
    await lease.release();
  });

  it("refuses a 2025 server's elicitation request; the call fails, never hangs", async () => {
    const server = await fixture({
      onServer: (created) =>
        created.registerTool("confirm", { inputSchema: z.object({}) }, async () => {
          const answer = await created.server.elicitInput({
            message: "Go ahead?",
            requestedSchema: { type: "object", properties: {} },
          });
          return { content: [{ type: "text", text: answer.action }] };
        }),
    });
    const lease = await client().acquire(target(server.streamableUrl), live());
    const outcome = await lease.callTool("confirm", {}, live());
    expect(outcome).toMatchObject({ ok: false, error: { type: "mcp_tool_execution_error" } });
    expect(JSON.stringify(outcome)).toContain("elicitation");
    await lease.release();
  });

  it("renders a 2026 server's media and resources as text", async () => {
    const server = await v2Fixture();
    const lease = await client().acquire(target(server.url), live());
    expect(await lease.callTool("media", {}, live())).toEqual({
      ok: true,
      output: [
        "Here you are",
        "[image: image/png]",
        "[audio: audio/wav]",
        "[resource: report.pdf <file:///report.pdf>]",
        "Some notes",
      ].join("\n"),
    });
    expect(await lease.callTool("structured", { city: "Oslo" }, live())).toEqual({
      ok: true,
      output: JSON.stringify({ city: "Oslo", temperatureC: 21 }),
    });
    await lease.release();
  });

  it("sends a 2026 server's marked arguments as Mcp-Param headers, and offers no badly marked tool", async () => {
    const server = await v2Fixture({ badlyMarkedTool: true });
    const lease = await client().acquire(target(server.url), live());
    const names = (await lease.listTools(live())).map((tool) => tool.name);
    expect(names).toContain("route");
    expect(names).not.toContain("badly_marked");
    const args = { region: "eu west ü", priority: 3, note: "not marked" };
    expect(await lease.callTool("route", args, live())).toEqual({
      ok: true,
      output: "Routed to eu west ü at 3",
    });
    const sent = server.requestHeaders.at(-1) ?? {};
    expect(sent["mcp-param-region"]).toBe(
      `=?base64?${Buffer.from("eu west ü").toString("base64")}?=`,
    );
    expect(sent["mcp-param-priority"]).toBe("3");
    expect(Object.keys(sent).filter((name) => name.startsWith("mcp-param-"))).toHaveLength(2);
    await lease.release();
  });

  it("lists again and retries once when a 2026 server says a call lacks its Mcp-Param headers", async () => {
    const server = await v2Fixture();
    // A fresh client has never listed this server (another replica did, or a restart came between).
    const lease = await client().acquire(target(server.url), live());
    expect(await lease.callTool("route", { region: "north", priority: 1 }, live())).toEqual({
      ok: true,
      output: "Routed to north at 1",
    });
    expect(server.counters.callTool).toBe(2);
    expect(server.counters.listTools).toBe(1);
    expect(server.requestHeaders.at(-1)?.["mcp-param-region"]).toBe("north");
    await lease.release();
  });
});
