import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { fixtureTool, RPC_ERROR, RPC_ERROR_TOOL } from "../../test/support/mcp-fixture-server.js";
import { sdkMcpClientHarness } from "../../test/support/sdk-mcp-client-harness.js";

const { fixture, client, target, live } = sdkMcpClientHarness();

describe("SdkMcpClient sessions and listings", () => {
  it("serves tools/list from the cache within the TTL and refreshes after it", async () => {
    const server = await fixture();
    let now = 1_000;
    const mcp = client({ listToolsTtlMs: 30, now: () => now });
    const list = async (): Promise<void> => {
      const lease = await mcp.acquire(target(server.url), live());
      await lease.listTools(live());
      await lease.release();
    };

    await list();
    await list();
    expect(server.counters.listTools).toBe(1);
    now += 30;
    await list();
    expect(server.counters.listTools).toBe(2);
  });

  it("does not share cached listings across different credentials", async () => {
    const server = await fixture();
    const mcp = client();
    for (const token of ["a", "b"]) {
      const headers = { Authorization: `Bearer ${token}` };
      const lease = await mcp.acquire(target(server.url, { headers }), live());
      await lease.listTools(live());
      await lease.release();
    }
    expect(server.counters.listTools).toBe(2);
  });

  it("follows nextCursor across tools/list pages", async () => {
    const server = await fixture({ toolsPageSize: 4 });
    const lease = await client().acquire(target(server.url), live());
    const tools = await lease.listTools(live());
    expect(tools.map((tool) => tool.name)).toEqual([
      "echo",
      "add",
      "get_weather",
      "fail",
      "slow",
      "structured",
    ]);
    expect(server.counters.listTools).toBe(2);
    await lease.release();
  });

  it("reuses a released session and keeps different headers apart", async () => {
    const server = await fixture();
    const mcp = client();
    for (let round = 0; round < 2; round += 1) {
      const lease = await mcp.acquire(target(server.url), live());
      await lease.callTool("echo", { message: String(round) }, live());
      await lease.release();
    }
    expect(server.counters.initialize).toBe(1);

    const other = await mcp.acquire(target(server.url, { headers: { "x-user": "2" } }), live());
    await other.release();
    expect(server.counters.initialize).toBe(2);
    expect(mcp.openSessions).toBe(2);
  });

  it("shares sessions between concurrent leases beyond maxSessionsPerKey", async () => {
    const server = await fixture();
    const mcp = client({ maxSessionsPerKey: 2 });
    const leases = await Promise.all(
      Array.from({ length: 6 }, () => mcp.acquire(target(server.url), live())),
    );
    expect(server.counters.initialize).toBe(2);
    expect(mcp.openSessions).toBe(2);
    const outcomes = await Promise.all(
      leases.map((lease, index) => lease.callTool("add", { a: index, b: 1 }, live())),
    );
    expect(outcomes.map((outcome) => (outcome.ok ? outcome.output : null))).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
    ]);
    await Promise.all(leases.map((lease) => lease.release()));
    expect(mcp.openSessions).toBe(2);
  });

  it("sends one tools/list for concurrent listings of a cold cache (single flight)", async () => {
    const server = await fixture();
    const mcp = client({ maxSessionsPerKey: 4 });
    const leases = await Promise.all(
      Array.from({ length: 8 }, () => mcp.acquire(target(server.url), live())),
    );
    const listings = await Promise.all(leases.map((lease) => lease.listTools(live())));
    expect(server.counters.listTools).toBe(1);
    expect(new Set(listings.map((tools) => tools.length)).size).toBe(1);
    await Promise.all(leases.map((lease) => lease.release()));
  });

  it("connects a new session only while every open one is busy", async () => {
    const server = await fixture();
    const mcp = client({ maxSessionsPerKey: 4 });
    const first = await mcp.acquire(target(server.url), live());
    await first.release();
    const second = await mcp.acquire(target(server.url), live());
    const third = await mcp.acquire(target(server.url), live());
    expect(server.counters.initialize).toBe(2);
    await second.release();
    await third.release();
  });

  it("closes idle sessions after idleTimeoutMs", async () => {
    const server = await fixture();
    const mcp = client({ idleTimeoutMs: 10 });
    const lease = await mcp.acquire(target(server.url), live());
    await lease.release();
    await server.waitFor(() => server.openSessions === 0 && server.activeRequests === 0);
    expect(mcp.openSessions).toBe(0);

    const again = await mcp.acquire(target(server.url), live());
    await again.release();
    expect(server.counters.initialize).toBe(2);
  });

  it("evicts an idle session whose event stream the server dropped (server restart)", async () => {
    const server = await fixture();
    const mcp = client();
    const lease = await mcp.acquire(target(server.url), live());
    await lease.release();
    await server.waitFor(() => server.activeRequests === 1);
    await server.dropSessions();
    // Eviction closes the stale session, whose polite DELETE is the observable event.
    await server.waitFor(() => server.requests.some((request) => request.method === "DELETE"));
    expect(mcp.openSessions).toBe(0);

    const fresh = await mcp.acquire(target(server.url), live());
    expect(await fresh.callTool("echo", { message: "back" }, live())).toEqual({
      ok: true,
      output: "Echo: back",
    });
    expect(server.counters.initialize).toBe(2);
    await fresh.release();
  });

  it("close() ends every session and stream, leased or idle, on both transports", async () => {
    const server = await fixture();
    const mcp = client();
    const idle = await mcp.acquire(target(server.streamableUrl), live());
    await idle.listTools(live());
    await idle.release();
    const leased = await mcp.acquire(target(server.sseUrl, { transport: "sse" }), live());
    await leased.listTools(live());
    expect(server.openSessions).toBe(2);

    await mcp.close();
    await server.waitFor(() => server.openSessions === 0 && server.activeRequests === 0);
    expect(mcp.openSessions).toBe(0);
    await expect(mcp.acquire(target(server.url), live())).rejects.toThrow("closed");
  });
});

describe("SdkMcpClient.callTool outcomes", () => {
  it("maps isError results to mcp_tool_execution_error with the content", async () => {
    const server = await fixture();
    const lease = await client().acquire(target(server.url), live());
    expect(await lease.callTool("fail", {}, live())).toEqual({
      ok: false,
      error: { type: "mcp_tool_execution_error", content: [{ type: "text", text: "boom" }] },
    });
    await lease.release();
  });

  it("gets unknown tools and invalid arguments back from McpServer as isError results", async () => {
    const server = await fixture();
    const lease = await client().acquire(target(server.url), live());
    expect(await lease.callTool("nope", {}, live())).toEqual({
      ok: false,
      error: {
        type: "mcp_tool_execution_error",
        content: [{ type: "text", text: "MCP error -32602: Tool nope not found" }],
      },
    });
    const invalid = await lease.callTool("add", { a: "two" }, live());
    expect(invalid).toMatchObject({ ok: false, error: { type: "mcp_tool_execution_error" } });
    expect(JSON.stringify(invalid)).toContain("-32602");
    await lease.release();
  });

  it("maps a JSON-RPC error reply to mcp_protocol_error and keeps the session", async () => {
    const server = await fixture();
    const mcp = client();
    const lease = await mcp.acquire(target(server.url), live());
    expect(await lease.callTool(RPC_ERROR_TOOL, {}, live())).toEqual({
      ok: false,
      error: { type: "mcp_protocol_error", code: RPC_ERROR.code, message: RPC_ERROR.message },
    });
    await lease.release();
    expect(mcp.openSessions).toBe(1);
  });

  it("maps a server that went away to http_error 502 and drops the session", async () => {
    const server = await fixture();
    const mcp = client();
    const lease = await mcp.acquire(target(server.url), live());
    await server.close();
    const outcome = await lease.callTool("echo", { message: "x" }, live());
    expect(outcome).toMatchObject({ ok: false, error: { type: "http_error", code: 502 } });
    await lease.release();
    expect(mcp.openSessions).toBe(0);
  });

  it("maps a call past timeoutMs to http_error 504 and drops the session", async () => {
    const server = await fixture();
    const mcp = client();
    const lease = await mcp.acquire(target(server.url, { timeoutMs: 100 }), live());
    expect(await lease.callTool("slow", { ms: 10_000 }, live())).toEqual({
      ok: false,
      error: { type: "http_error", code: 504, message: "Reason: timed out after 100 ms" },
    });
    await lease.release();
    expect(mcp.openSessions).toBe(0);
  });

  it.each(["streamable-http", "sse"] as const)(
    "rethrows the caller's abort over %s and keeps the session",
    async (transport) => {
      const server = await fixture();
      const mcp = client();
      const url = transport === "sse" ? server.sseUrl : server.streamableUrl;
      const lease = await mcp.acquire(target(url, { transport }), live());
      const controller = new AbortController();
      const call = lease.callTool("slow", { ms: 10_000 }, controller.signal);
      await server.waitFor(() => server.counters.callTool === 1);
      controller.abort(new Error("client went away"));
      await expect(call).rejects.toThrow("client went away");
      await lease.release();
      expect(mcp.openSessions).toBe(1);
    },
  );

  it("leaves no abort listeners on the caller's signal after many calls", async () => {
    const server = await fixture();
    const lease = await client().acquire(target(server.url), live());
    const signal = live();
    for (let call = 0; call < 50; call += 1) {
      await lease.callTool("echo", { message: String(call) }, signal);
    }
    await lease.listTools(signal);
    await lease.release();
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  it("rethrows an abort that happened before acquire", async () => {
    const server = await fixture();
    const controller = new AbortController();
    controller.abort(new Error("already gone"));
    await expect(client().acquire(target(server.url), controller.signal)).rejects.toThrow(
      "already gone",
    );
    expect(server.counters.httpRequests).toBe(0);
  });
});

describe("SdkMcpClient on a server that closes a call's stream (SEP-1699 polling)", () => {
  it("resumes the stream with Last-Event-ID and gets the answer", async () => {
    const polled = fixtureTool({
      name: "polled",
      input: {},
      run: async (_args, { closeResponseStream }) => {
        closeResponseStream();
        await new Promise((resolve) => setImmediate(resolve));
        return { content: [{ type: "text", text: "after the close" }] };
      },
    });
    const server = await fixture({
      transport: "streamable-http",
      resumableRetryMs: 10,
      tools: [polled],
    });
    const lease = await client().acquire(target(server.url, { timeoutMs: 3_000 }), live());

    expect(await lease.callTool("polled", {}, live())).toEqual({
      ok: true,
      output: "after the close",
    });
    expect(server.requestHeaders.some((headers) => headers["last-event-id"] !== undefined)).toBe(
      true,
    );
    await lease.release();
  });
});
