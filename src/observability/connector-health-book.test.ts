import { describe, expect, it } from "vitest";
import { ConnectorHealthBook } from "./connector-health-book.js";
import type { McpObservation, McpOperation, McpOutcome } from "./telemetry.js";

const MINUTE = 60_000;

function observation(
  outcome: McpOutcome,
  at: number,
  operation: McpOperation = "list_tools",
): McpObservation {
  return {
    peer: { kind: "connector", connectorId: "c", source: "config", registryId: null },
    operation,
    outcome,
    durationMs: 12.4,
    protocolRevision: outcome === "ok" ? "2025-06-18" : null,
    error: outcome === "ok" ? null : `failed: ${outcome}`,
    at,
  };
}

function bookAt(clock: { now: number }) {
  return new ConnectorHealthBook(() => clock.now);
}

describe("ConnectorHealthBook status rules", () => {
  it("maps the last failure to its status and keeps the revision a failure did not report", () => {
    const clock = { now: 0 };
    const book = bookAt(clock);
    book.recordMcp(observation("ok", 0));
    const cases: Array<[McpOutcome, string]> = [
      ["auth_required", "auth_required"],
      ["connection_failed", "unreachable"],
      ["timeout", "unreachable"],
      ["blocked", "unreachable"],
      ["http_error", "degraded"],
      ["protocol_error", "degraded"],
      ["too_large", "degraded"],
    ];
    for (const [outcome, status] of cases) {
      book.recordMcp(observation(outcome, 1000));
      expect(book.health("c")).toMatchObject({
        status,
        protocol_revision: "2025-06-18",
        latency_ms: 12,
        last_error: `failed: ${outcome}`,
        last_error_at: new Date(1000).toISOString(),
      });
    }
  });

  it("is degraded for five minutes after a failure, then ok; aborts and tool errors are no failures", () => {
    const clock = { now: 0 };
    const book = bookAt(clock);
    book.recordMcp(observation("ok", 0));
    book.recordMcp(observation("tool_error", 1, "call_tool"));
    book.recordMcp(observation("protocol_error", 2, "call_tool"));
    book.recordMcp(observation("aborted", 3));
    expect(book.health("c").status).toBe("ok");
    book.recordMcp(observation("timeout", 10));
    book.recordMcp(observation("ok", 20));
    clock.now = 5 * MINUTE;
    expect(book.health("c").status).toBe("degraded");
    clock.now = 5 * MINUTE + 11;
    expect(book.health("c")).toMatchObject({ status: "ok", last_error: "failed: timeout" });
  });

  it("tracks catalog connectors only: a user's server_url stays unknown", () => {
    const book = new ConnectorHealthBook();
    book.recordMcp({ ...observation("ok", 0), peer: { kind: "server_url" } });
    expect(book.health("c").status).toBe("unknown");
  });
});
