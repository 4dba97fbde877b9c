/**
 * The telemetry port (issue 12 §4): what the engine tells operators, in its own terms and free of
 * any metrics library. Adapters decide how to expose it: `PrometheusTelemetry` for `/metrics`
 * today, an OpenTelemetry adapter next (ADR 0026). Observations carry the whole truth (which
 * connector, which registry); each adapter bounds what it turns into labels for its medium.
 */

/**
 * Who an MCP exchange was with. A user's `server_url` is never named: anyone can type a new one,
 * so it can only ever be one bucket.
 */
export type McpPeer =
  | {
      kind: "connector";
      connectorId: string;
      source: "config" | "api" | "registry";
      /** Set for registry connectors (`mcp::<registry_id>::<name>`). */
      registryId: string | null;
    }
  | { kind: "server_url" };

/** `connect`: opening a session (or taking a pooled one); `probe`: an admin's probe, end to end. */
export type McpOperation = "connect" | "list_tools" | "call_tool" | "probe";

/**
 * How an exchange ended. `tool_error` (the tool said `isError`) and a JSON-RPC error to a
 * `tools/call` are answers from a working server; the others from `http_error` on are failures.
 */
export type McpOutcome =
  | "ok"
  | "tool_error"
  | "protocol_error"
  | "http_error"
  | "auth_required"
  | "timeout"
  | "connection_failed"
  | "blocked"
  | "too_large"
  | "aborted";

export interface McpObservation {
  peer: McpPeer;
  operation: McpOperation;
  outcome: McpOutcome;
  durationMs: number;
  /** The MCP protocol revision the session speaks; null when no session was established. */
  protocolRevision: string | null;
  /** What went wrong, with every secret the target carried replaced; null on success. */
  error: string | null;
  /** When the exchange ended, epoch milliseconds. */
  at: number;
}

/** Anything that wants to hear about MCP exchanges: metrics, connector health. */
export interface McpObserver {
  recordMcp(observation: McpObservation): void;
}

export interface HttpRequestObservation {
  method: string;
  /** The matched route pattern (`/v1/responses/:id`), never the raw path; `unmatched` otherwise. */
  route: string;
  status: number;
  durationMs: number;
}

export interface ModelCallObservation {
  provider: string;
  outcome: "ok" | "error" | "aborted";
  /** `http_<status>` or the failure kind when `outcome` is `error`. */
  errorKind: string | null;
  durationMs: number;
}

export interface Telemetry extends McpObserver {
  recordHttpRequest(observation: HttpRequestObservation): void;
  recordModelCall(observation: ModelCallObservation): void;
}

/** `GET /metrics`: the text an adapter exposes for scraping. */
export interface MetricsExposition {
  readonly contentType: string;
  render(): Promise<string>;
}
