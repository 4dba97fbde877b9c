/**
 * The setup of the SdkMcpClient unit tests: MCP fixture servers and clients that are closed after
 * each test (the last made first), and the target and signal every acquire takes.
 */
import { afterEach } from "vitest";
import type { McpServerTarget } from "../../src/mcp/mcp-client.js";
import { SdkMcpClient, type SdkMcpClientOptions } from "../../src/mcp/sdk-mcp-client.js";
import { startMcpFixture, type McpFixture, type McpFixtureOptions } from "./mcp-fixture-server.js";

export interface SdkMcpClientHarness {
  /** A fixture server closed after the test; a test may close it first (closing twice is a no-op). */
  fixture(options?: McpFixtureOptions): Promise<McpFixture>;
  /** A client closed after the test. */
  client(options?: SdkMcpClientOptions): SdkMcpClient;
  /** Runs `cleanup` after the test, before whatever was made earlier. */
  defer(cleanup: () => Promise<void>): void;
  /** A Streamable HTTP target without headers and with a 5 s timeout, unless `overrides` say. */
  target(url: string, overrides?: Partial<McpServerTarget>): McpServerTarget;
  /** A signal nobody aborts. */
  live(): AbortSignal;
}

/** Call at a test file's top level: it registers the `afterEach` that closes what the test made. */
export function sdkMcpClientHarness(): SdkMcpClientHarness {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
  });
  const defer = (cleanup: () => Promise<void>): void => {
    cleanups.push(cleanup);
  };
  return {
    defer,
    async fixture(options = {}) {
      const started = await startMcpFixture(options);
      let closing: Promise<void> | undefined;
      const close = started.close;
      started.close = () => (closing ??= close());
      defer(() => started.close());
      return started;
    },
    client(options = {}) {
      const created = new SdkMcpClient(options);
      defer(() => created.close());
      return created;
    },
    target: (url, overrides = {}) => ({
      url,
      transport: "streamable-http",
      headers: {},
      timeoutMs: 5_000,
      ...overrides,
    }),
    live: () => new AbortController().signal,
  };
}
