import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { McpConnectionError } from "../errors/mcp-connection-error.js";
import { EgressPolicy } from "./egress-policy.js";
import { listenOnLoopback } from "../../test/support/listen-on-loopback.js";
import { sdkMcpClientHarness } from "../../test/support/sdk-mcp-client-harness.js";

const { fixture, client, defer, target, live } = sdkMcpClientHarness();

describe("SdkMcpClient over real fixture servers", () => {
  it.each(["streamable-http", "sse"] as const)(
    "lists and calls tools over %s",
    async (transport) => {
      const server = await fixture();
      const mcp = client();
      const url = transport === "sse" ? server.sseUrl : server.streamableUrl;
      const lease = await mcp.acquire(target(url, { transport }), live());

      const tools = await lease.listTools(live());
      expect(tools.map((tool) => tool.name)).toEqual([
        "echo",
        "add",
        "get_weather",
        "fail",
        "slow",
        "structured",
      ]);
      expect(tools.find((tool) => tool.name === "echo")).toMatchObject({
        description: "Echoes the message",
        annotations: null,
        inputSchema: { type: "object", properties: { message: { type: "string" } } },
      });
      expect(tools.find((tool) => tool.name === "add")?.description).toBeNull();
      expect(tools.find((tool) => tool.name === "get_weather")?.annotations).toEqual({
        readOnlyHint: true,
      });

      expect(await lease.callTool("echo", { message: "hi" }, live())).toEqual({
        ok: true,
        output: "Echo: hi",
      });
      expect(await lease.callTool("add", { a: 2, b: 3 }, live())).toEqual({
        ok: true,
        output: "5",
      });
      expect(await lease.callTool("structured", { city: "Oslo" }, live())).toEqual({
        ok: true,
        output: JSON.stringify({ city: "Oslo", temperatureC: 21 }),
      });
      expect(server.calls.map((call) => call.name)).toEqual(["echo", "add", "structured"]);
      await lease.release();
    },
  );

  it("auto falls back to legacy SSE on a 4xx and remembers it for the URL", async () => {
    const server = await fixture({ transport: "sse" });
    const mcp = client();
    const first = await mcp.acquire(target(server.url, { transport: "auto" }), live());
    expect(await first.callTool("echo", { message: "old" }, live())).toEqual({
      ok: true,
      output: "Echo: old",
    });
    // The server/discover probe, then initialize, are refused before the legacy GET stream.
    expect(server.requests.slice(0, 3)).toEqual([
      { method: "POST", path: "/sse" },
      { method: "POST", path: "/sse" },
      { method: "GET", path: "/sse" },
    ]);

    const seen = server.requests.length;
    const headers = { "x-tenant": "b" };
    const second = await mcp.acquire(target(server.url, { transport: "auto", headers }), live());
    expect(server.requests.slice(seen)[0]).toEqual({ method: "GET", path: "/sse" });
    expect(server.requests.slice(seen)).not.toContainEqual({ method: "POST", path: "/sse" });
    await Promise.all([first.release(), second.release()]);
  });

  it("auto uses Streamable HTTP when the server speaks it", async () => {
    const server = await fixture();
    const lease = await client().acquire(target(server.url, { transport: "auto" }), live());
    await lease.listTools(live());
    expect(server.requests.every((request) => request.path === "/mcp")).toBe(true);
    await lease.release();
  });

  it.each(["streamable-http", "sse"] as const)(
    "sends the target headers on every %s request",
    async (transport) => {
      const server = await fixture({ requireBearer: "s3cret" });
      const mcp = client();
      const url = transport === "sse" ? server.sseUrl : server.streamableUrl;
      const headers = { Authorization: "Bearer s3cret" };
      const lease = await mcp.acquire(target(url, { transport, headers }), live());
      await lease.listTools(live());
      await lease.callTool("echo", { message: "x" }, live());
      await lease.release();
      await mcp.close();

      expect(server.requestHeaders.length).toBeGreaterThanOrEqual(4);
      for (const seen of server.requestHeaders) {
        expect(seen.authorization).toBe("Bearer s3cret");
      }
      expect(server.calls[0]?.headers.authorization).toBe("Bearer s3cret");
    },
  );

  it.each(["streamable-http", "sse", "auto"] as const)(
    "turns a 401 on %s into McpConnectionError status 401",
    async (transport) => {
      const server = await fixture({ requireBearer: "s3cret" });
      const url = transport === "sse" ? server.sseUrl : server.streamableUrl;
      const attempt = client().acquire(target(url, { transport }), live());
      const error = await attempt.then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(McpConnectionError);
      expect(error).toMatchObject({
        status: 401,
        kind: "http",
        message: "Http status code: 401 (Unauthorized)",
      });
      if (transport === "auto") {
        expect(server.requests).toEqual([{ method: "POST", path: "/mcp" }]);
      }
    },
  );

  it.each(["streamable-http", "sse"] as const)(
    "reports a refused %s connection as McpConnectionError kind connection",
    async (transport) => {
      const server = await fixture();
      await server.close();
      const url = transport === "sse" ? server.sseUrl : server.streamableUrl;
      await expect(client().acquire(target(url, { transport }), live())).rejects.toMatchObject({
        name: "McpConnectionError",
        status: null,
        kind: "connection",
        message: "Reason: connection failed (ECONNREFUSED)",
      });
    },
  );

  it("rejects a URL that is not http(s) before any network use", async () => {
    await expect(client().acquire(target("ftp://example.test/mcp"), live())).rejects.toMatchObject({
      name: "McpConnectionError",
      kind: "connection",
      message: "Reason: invalid server URL",
    });
  });

  it.each(["streamable-http", "sse"] as const)(
    "times out a %s server that accepts but never answers",
    async (transport) => {
      const silent = createServer((_request, response) => {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write(": connected\n\n");
      });
      const port = await listenOnLoopback(silent);
      defer(async () => {
        silent.closeAllConnections();
        await new Promise((resolve) => silent.close(resolve));
      });
      const attempt = client().acquire(
        target(`http://127.0.0.1:${port}/mcp`, { transport, timeoutMs: 100 }),
        live(),
      );
      await expect(attempt).rejects.toMatchObject({
        name: "McpConnectionError",
        status: null,
        kind: "timeout",
        message: "Reason: timed out after 100 ms",
      });
    },
  );

  it("resolves a guarded server's name once per connection, through the egress policy, and uses that answer", async () => {
    const server = await fixture({ transport: "streamable-http" });
    const lookups: string[] = [];
    const egress = new EgressPolicy(
      { denyCidrs: [], allowCidrs: [], blockPrivate: false },
      (host, callback) => {
        lookups.push(host);
        callback(null, [{ address: "127.0.0.1", family: 4 }]);
      },
    );
    const url = `http://mcp.rebinding.test:${new URL(server.url).port}/mcp`;
    const lease = await client().acquire(target(url, { egress }), live());
    await lease.listTools(live());
    for (const message of ["one", "two", "three"]) {
      await lease.callTool("echo", { message }, live());
    }
    await lease.release();
    // One lookup per connection (keep-alive sockets carry many requests), never per request.
    expect(server.counters.httpRequests).toBeGreaterThanOrEqual(6);
    expect(lookups.length).toBe(server.counters.connections);
    expect(lookups.length).toBeLessThan(server.counters.httpRequests);
    expect(new Set(lookups)).toEqual(new Set(["mcp.rebinding.test"]));
  });

  it("refuses a guarded server whose name resolves to a blocked address, without connecting", async () => {
    const server = await fixture({ transport: "streamable-http" });
    const egress = new EgressPolicy(
      { denyCidrs: ["127.0.0.0/8"], allowCidrs: [], blockPrivate: false },
      (_host, callback) => callback(null, [{ address: "127.0.0.1", family: 4 }]),
    );
    const url = `http://mcp.rebinding.test:${new URL(server.url).port}/mcp`;
    await expect(client().acquire(target(url, { egress }), live())).rejects.toMatchObject({
      name: "McpConnectionError",
      kind: "blocked",
      code: "egress_blocked",
      message:
        "Reason: server_url host 'mcp.rebinding.test' resolves to 127.0.0.1, which the egress policy blocks (deny_cidrs).",
    });
    expect(server.counters.httpRequests).toBe(0);
  });
});
