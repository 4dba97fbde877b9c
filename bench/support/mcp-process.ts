/** Runs the SDK-built MCP fixture server as its own process; prints its Streamable HTTP URL. */
import { startMcpFixture } from "../../test/support/mcp-fixture-server.js";

const fixture = await startMcpFixture({ transport: "streamable-http" });
process.stdout.write(`${fixture.url}\n`);
process.on("SIGTERM", () => {
  void fixture.close().then(() => process.exit(0));
});
