/**
 * Connector health (issue 15 §3), learnt from the MCP traffic this replica saw (listings, calls)
 * and admin probes, kept in memory per replica (ADR 0026): a restart forgets it, and each replica
 * of a cluster answers with what it saw itself. Only catalog connectors are tracked, never a
 * user's `server_url`, and at most `MAX_TRACKED` of them (least recently seen forgotten first).
 *
 * Status rules, from the last exchange that ended (aborted ones say nothing about the server):
 * - `auth_required`: the server refused the credentials (HTTP 401, 403 or 407);
 * - `unreachable`: no connection, a timeout, or the egress policy refused the address;
 * - `degraded`: the server answered wrongly (HTTP error, JSON-RPC error to a listing, oversized
 *   answer), or answered well but failed within the last `DEGRADED_WINDOW_MS`;
 * - `ok`: answered well (a tool reporting `isError`, or a JSON-RPC error to a `tools/call`, is
 *   an answer) with no failure in the window;
 * - `unknown`: nothing seen since this replica started.
 */
import type { McpObservation, McpObserver, McpOutcome } from "./telemetry.js";

export type ConnectorHealthStatus = "ok" | "degraded" | "unreachable" | "auth_required" | "unknown";

/** As `GET /v1/connectors/{id}` and the admin views carry it. */
export interface ConnectorHealth {
  status: ConnectorHealthStatus;
  /** When the last exchange (or probe) ended, ISO 8601; null: never. */
  checked_at: string | null;
  latency_ms: number | null;
  /** The MCP revision the server last negotiated, e.g. `2025-06-18`. */
  protocol_revision: string | null;
  /** The last failure's message, secrets redacted; kept after the server recovers. */
  last_error: string | null;
  last_error_at: string | null;
}

export interface ConnectorHealthSource {
  health(connectorId: string): ConnectorHealth;
}

interface Entry {
  last: McpObservation;
  protocolRevision: string | null;
  lastFailure: McpObservation | null;
}

const MAX_TRACKED = 10_000;
const DEGRADED_WINDOW_MS = 5 * 60_000;

export const UNKNOWN_HEALTH: ConnectorHealth = {
  status: "unknown",
  checked_at: null,
  latency_ms: null,
  protocol_revision: null,
  last_error: null,
  last_error_at: null,
};

export class ConnectorHealthBook implements McpObserver, ConnectorHealthSource {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  recordMcp(observation: McpObservation): void {
    const { peer } = observation;
    if (peer.kind !== "connector" || observation.outcome === "aborted") return;
    const previous = this.#entries.get(peer.connectorId);
    this.#entries.delete(peer.connectorId);
    if (this.#entries.size >= MAX_TRACKED) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(peer.connectorId, {
      last: observation,
      protocolRevision: observation.protocolRevision ?? previous?.protocolRevision ?? null,
      lastFailure: isAnswer(observation) ? (previous?.lastFailure ?? null) : observation,
    });
  }

  health(connectorId: string): ConnectorHealth {
    const entry = this.#entries.get(connectorId);
    if (entry === undefined) return UNKNOWN_HEALTH;
    const { last, lastFailure } = entry;
    return {
      status: statusOf(last, lastFailure, this.now()),
      checked_at: new Date(last.at).toISOString(),
      latency_ms: Math.round(last.durationMs),
      protocol_revision: entry.protocolRevision,
      last_error: lastFailure?.error ?? null,
      last_error_at: lastFailure === null ? null : new Date(lastFailure.at).toISOString(),
    };
  }
}

function isAnswer(observation: McpObservation): boolean {
  const { outcome } = observation;
  return (
    outcome === "ok" ||
    outcome === "tool_error" ||
    (outcome === "protocol_error" && observation.operation === "call_tool")
  );
}

function statusOf(
  last: McpObservation,
  lastFailure: McpObservation | null,
  now: number,
): ConnectorHealthStatus {
  if (isAnswer(last))
    return lastFailure !== null && now - lastFailure.at < DEGRADED_WINDOW_MS ? "degraded" : "ok";
  return failureStatus(last.outcome);
}

function failureStatus(outcome: McpOutcome): ConnectorHealthStatus {
  switch (outcome) {
    case "auth_required":
      return "auth_required";
    case "connection_failed":
    case "timeout":
    case "blocked":
      return "unreachable";
    case "http_error":
    case "protocol_error":
    case "too_large":
    case "ok":
    case "tool_error":
    case "aborted":
      return "degraded";
  }
}
