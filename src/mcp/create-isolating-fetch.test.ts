import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { startMcpFixture, type McpFixture } from "../../test/support/mcp-fixture-server.js";
import { startStatusPeer } from "../../test/support/stub-http-peers.js";
import { createIsolatingFetch } from "./create-isolating-fetch.js";

let server: McpFixture | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("createIsolatingFetch", () => {
  it("leaves no listener on the shared signal once bodies are read", async () => {
    server = await startMcpFixture();
    const shared = new AbortController();
    const isolatingFetch = createIsolatingFetch();
    for (let request = 0; request < 20; request += 1) {
      const response = await isolatingFetch(`${server.streamableUrl}/missing`, {
        method: "POST",
        body: "{}",
        signal: shared.signal,
      });
      expect(response.status).toBe(404);
      await response.text();
    }
    expect(getEventListeners(shared.signal, "abort")).toHaveLength(0);
  });

  it("still aborts a long-lived event stream when the shared signal aborts", async () => {
    server = await startMcpFixture({ transport: "sse" });
    const shared = new AbortController();
    let lost = 0;
    const isolatingFetch = createIsolatingFetch({ onEventStreamLost: () => (lost += 1) });
    const response = await isolatingFetch(server.sseUrl, { signal: shared.signal });
    const reader = response.body!.getReader();
    await reader.read();
    await server.waitFor(() => server!.openSessions === 1);

    shared.abort(new Error("transport closed"));
    await expect(reader.read()).rejects.toThrow();
    await server.waitFor(() => server!.openSessions === 0 && server!.activeRequests === 0);
    expect(lost).toBe(0);
  });

  it("reports an event stream the server ended", async () => {
    server = await startMcpFixture({ transport: "sse" });
    let reportLost: () => void = () => undefined;
    const lost = new Promise<void>((resolve) => (reportLost = resolve));
    const isolatingFetch = createIsolatingFetch({ onEventStreamLost: () => reportLost() });
    const response = await isolatingFetch(server.sseUrl, { signal: new AbortController().signal });
    const reader = response.body!.getReader();
    await reader.read();

    await server.dropSessions();
    while (!(await reader.read()).done) {
      // drain until the server's end of stream
    }
    await lost;
  });

  it.each([
    [307, 0],
    [308, 0],
    [404, 1],
    [401, 1],
    [405, 0],
  ])("counts a GET answered %i as a lost event stream %i time(s)", async (status, expected) => {
    const peer = await startStatusPeer(status, { location: "/elsewhere" });
    try {
      let lost = 0;
      const isolatingFetch = createIsolatingFetch({ onEventStreamLost: () => (lost += 1) });
      const response = await isolatingFetch(peer.url, {
        redirect: "manual",
        signal: new AbortController().signal,
      });
      expect(response.status).toBe(status);
      await response.text();
      // A redirect is followed by whoever asked for manual redirects (the SDK, the egress guard).
      expect(lost).toBe(expected);
    } finally {
      await peer.close();
    }
  });
});
