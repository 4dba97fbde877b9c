import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors/config-error.js";
import { loadConfig } from "./load-config.js";
import { configFixtureFolder } from "../../test/support/config-fixture-folder.js";

const { writeFixture } = configFixtureFolder();

const load = (yaml: string) => loadConfig({ path: writeFixture(yaml), env: {} });

const WITH_KEYS = "server:\n  auth:\n    api_keys:\n    - key: k1\n      role: admin\n";

describe("egress default for user server_url (issue 11 §5)", () => {
  it("blocks private addresses once API keys are configured", () => {
    expect(load(WITH_KEYS).server.mcp.egress.blockPrivate).toBe(true);
  });

  it("leaves them open without keys (loopback-only dev mode)", () => {
    expect(load("server:\n  port: 8400\n").server.mcp.egress.blockPrivate).toBe(false);
  });

  it("lets an explicit block_private win either way", () => {
    const open = `${WITH_KEYS}  mcp:\n    egress:\n      block_private: false\n`;
    expect(load(open).server.mcp.egress.blockPrivate).toBe(false);
    const closed = "server:\n  mcp:\n    egress:\n      block_private: true\n";
    expect(load(closed).server.mcp.egress.blockPrivate).toBe(true);
  });
});

describe("peer limits and timeouts", () => {
  it.each([
    [
      "mcp:\n    max_message_bytes: 10",
      "server.mcp.max_message_bytes: expected an integer >= 1024",
    ],
    ["mcp:\n    max_tool_result_bytes: 1e12", "server.mcp.max_tool_result_bytes"],
    ["mcp:\n    max_tools_list_bytes: lots", "server.mcp.max_tools_list_bytes"],
    ["mcp:\n    timeout_ms: 0", "server.mcp.timeout_ms: expected an integer >= 1"],
    ["inference:\n    max_event_bytes: -1", "server.inference.max_event_bytes"],
    ["inference:\n    max_body_bytes: 4096", "server.inference"],
    ["registries:\n    failure_cache_ms: -5", "server.registries.failure_cache_ms"],
    ["registries:\n    max_body_bytes: 2.5", "server.registries.max_body_bytes"],
  ])("refuses %j, naming the key", (body, expected) => {
    let issues: string[] = [];
    try {
      load(`server:\n  ${body}\n`);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues = error.issues;
    }
    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain(expected);
  });
});
