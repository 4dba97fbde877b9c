/**
 * `@modelcontextprotocol/server-everything` (the MCP project's reference server, a third-party
 * peer built on SDK 1.x) served in-process by the MCP fixture on 127.0.0.1:0, so tests get its
 * real tools (echo, get-sum, get-tiny-image, get-structured-content, get-resource-links,
 * trigger-elicitation-request, …) with the fixture's counters. Its own launcher listens on every
 * interface on a fixed port; its server factory is the part worth testing against.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { createServer } from "@modelcontextprotocol/server-everything/dist/server/index.js";
import { startMcpFixture, type McpFixture, type McpFixtureOptions } from "./mcp-fixture-server.js";

export async function startEverythingMcpServer(
  options: Pick<McpFixtureOptions, "transport" | "requireBearer"> = {},
): Promise<McpFixture> {
  const cleanups: Array<() => void> = [];
  const fixture = await startMcpFixture({
    ...options,
    createServer: (): McpServer => {
      const { server, cleanup } = createServer();
      cleanups.push(() => cleanup(undefined));
      return server;
    },
  });
  const close = fixture.close;
  fixture.close = async () => {
    for (const cleanup of cleanups) cleanup();
    await close();
  };
  return fixture;
}
