/**
 * Every byte an MCP server sends is bounded (issue 11 §2, PRODUCT.md §9.1): hostile peers that
 * answer with endless bodies, one SSE event that never ends, a drip that never ends, oversized
 * results and listings. Each failure is clean (named after its limit), quick (no waiting for the
 * timeout), closes the connection (the peer sees its request end) and leaves the session out of
 * the pool.
 */
import { describe, expect, it } from "vitest";
import {
  startHostileMcpServer,
  type HostileMcpOptions,
  type HostileMcpServer,
} from "../../test/support/hostile-mcp-server.js";
import { sdkMcpClientHarness } from "../../test/support/sdk-mcp-client-harness.js";

const { client, defer, target, live } = sdkMcpClientHarness();

/** Small limits, so each case reads little; the timeout is far beyond what a limit needs. */
const limits = {
  maxMessageBytes: 64 * 1024,
  maxToolResultBytes: 256 * 1024,
  maxToolsListBytes: 128 * 1024,
};
const TIMEOUT_MS = 20_000;

async function hostile(options: HostileMcpOptions): Promise<HostileMcpServer> {
  const server = await startHostileMcpServer(options);
  defer(() => server.close());
  return server;
}

describe("SdkMcpClient against hostile MCP servers", () => {
  it.each(["endless-json", "endless-sse-event"] as const)(
    "refuses an %s answer to initialize at max_message_bytes and closes its connection",
    async (answer) => {
      const server = await hostile({ answers: { initialize: answer } });
      const started = performance.now();
      await expect(
        client({ limits }).acquire(target(server.url, { timeoutMs: TIMEOUT_MS }), live()),
      ).rejects.toMatchObject({
        name: "McpConnectionError",
        kind: "too_large",
        code: "response_too_large",
        message: `Reason: The MCP server's answer to initialize exceeds server.mcp.max_message_bytes (${limits.maxMessageBytes} bytes)`,
      });
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS / 2);
      await server.allClosed();
      // What the peer could write at all: the limit plus what the sockets buffer on the way.
      expect(server.bytesSent).toBeLessThan(16 * 1024 * 1024);
    },
  );

  it.each(["endless-json", "endless-sse-event"] as const)(
    "fails a tools/call whose %s answer passes max_tool_result_bytes; the session is not reused",
    async (answer) => {
      const server = await hostile({ answers: { "tools/call": answer } });
      const mcp = client({ limits });
      const lease = await mcp.acquire(target(server.url, { timeoutMs: TIMEOUT_MS }), live());
      const started = performance.now();
      expect(await lease.callTool("echo", { message: "x" }, live())).toEqual({
        ok: false,
        error: {
          type: "http_error",
          code: 502,
          message: `Reason: The MCP server's answer to tools/call exceeds server.mcp.max_tool_result_bytes (${limits.maxToolResultBytes} bytes)`,
        },
      });
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS / 2);
      await lease.release();
      await server.allClosed();
      expect(mcp.openSessions).toBe(0);
      const again = await mcp.acquire(target(server.url, { timeoutMs: TIMEOUT_MS }), live());
      expect(server.requests.initialize).toBe(2);
      await again.release();
    },
  );

  it("fails only the call whose answer was too large, not another one in flight on the same session", async () => {
    const server = await hostile({ answers: { "tools/call": "endless-sse-event" } });
    const honest = await hostile({});
    const mcp = client({ limits });
    const lease = await mcp.acquire(target(server.url, { timeoutMs: TIMEOUT_MS }), live());
    const honestLease = await mcp.acquire(target(honest.url, { timeoutMs: TIMEOUT_MS }), live());
    const [tooLarge, fine] = await Promise.all([
      lease.callTool("echo", { message: "big" }, live()),
      honestLease.callTool("echo", { message: "small" }, live()),
    ]);
    expect(tooLarge).toMatchObject({ ok: false, error: { code: 502 } });
    expect(fine).toEqual({ ok: true, output: "echo" });
    await Promise.all([lease.release(), honestLease.release()]);
  });

  it("fails a drip that never ends at the timeout, and closes it", async () => {
    const server = await hostile({ answers: { "tools/call": "drip" }, dripMs: 20 });
    const lease = await client({ limits }).acquire(target(server.url, { timeoutMs: 300 }), live());
    expect(await lease.callTool("echo", { message: "x" }, live())).toEqual({
      ok: false,
      error: { type: "http_error", code: 504, message: "Reason: timed out after 300 ms" },
    });
    await lease.release();
    await server.allClosed();
  });

  it("refuses a 100,000-tool listing in one page at max_message_bytes", async () => {
    const server = await hostile({ tools: 100_000 });
    const lease = await client({ limits }).acquire(
      target(server.url, { timeoutMs: TIMEOUT_MS }),
      live(),
    );
    await expect(lease.listTools(live())).rejects.toMatchObject({
      kind: "too_large",
      message: `Reason: The MCP server's answer to tools/list exceeds server.mcp.max_message_bytes (${limits.maxMessageBytes} bytes)`,
    });
    await lease.release();
  });

  it("refuses a listing whose pages together pass max_tools_list_bytes", async () => {
    const server = await hostile({ tools: 100_000, pageSize: 400 });
    const lease = await client({ limits }).acquire(
      target(server.url, { timeoutMs: TIMEOUT_MS }),
      live(),
    );
    await expect(lease.listTools(live())).rejects.toMatchObject({
      kind: "too_large",
      message: `Reason: The MCP server's tool list exceeds server.mcp.max_tools_list_bytes (${limits.maxToolsListBytes} bytes)`,
    });
    expect(server.requests["tools/list"]).toBeLessThan(10);
    await lease.release();
  });

  it("bounds a whole paged listing by one timeout, however quick each page is", async () => {
    const server = await hostile({ tools: 100_000, pageSize: 1, pageDelayMs: 40 });
    const lease = await client({
      limits: { ...limits, maxToolsListBytes: 64 * 1024 * 1024 },
    }).acquire(target(server.url, { timeoutMs: 300 }), live());
    await expect(lease.listTools(live())).rejects.toMatchObject({
      kind: "timeout",
      message: "Reason: timed out after 300 ms",
    });
    await lease.release();
  });

  it("refuses an endless event on the standalone GET stream without failing the session's calls", async () => {
    const server = await hostile({ getStream: "endless-sse-event" });
    const mcp = client({ limits });
    const lease = await mcp.acquire(target(server.url, { timeoutMs: TIMEOUT_MS }), live());
    await server.received("GET");
    await server.allClosed();
    expect(await lease.callTool("echo", { message: "x" }, live())).toEqual({
      ok: true,
      output: "echo",
    });
    await lease.release();
    expect(mcp.openSessions).toBe(0);
  });

  it("refuses an endless event on a legacy SSE stream (which carries every answer) while connecting", async () => {
    const server = await hostile({ getStream: "endless-sse-event" });
    await expect(
      client({ limits }).acquire(
        target(server.url, { transport: "sse", timeoutMs: TIMEOUT_MS }),
        live(),
      ),
    ).rejects.toMatchObject({
      kind: "too_large",
      message: `Reason: An event from the MCP server exceeds server.mcp.max_tool_result_bytes (${limits.maxToolResultBytes} bytes)`,
    });
    await server.allClosed();
  });
});
