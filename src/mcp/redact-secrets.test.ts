import { describe, expect, it } from "vitest";
import { bearerCredentials } from "./credentials.js";
import type { McpServerTarget } from "./mcp-client.js";
import { redactSecrets } from "./redact-secrets.js";

const target: McpServerTarget = {
  url: "http://mcp.example/mcp",
  transport: "auto",
  headers: { "X-Api-Key": "admin-api-key-123", "X-Flag": "on" },
  credentials: bearerCredentials("Bearer caller-token-456"),
  timeoutMs: 1000,
};

describe("redactSecrets", () => {
  it("replaces every header value and the caller's token a server echoed, on one short line", () => {
    const echoed = "bad token caller-token-456\nfor key admin-api-key-123 (flag on)";
    expect(redactSecrets(echoed, target)).toBe("bad token [redacted] for key [redacted] (flag on)");
    expect(redactSecrets("x".repeat(1000), target)).toHaveLength(300);
  });
});
