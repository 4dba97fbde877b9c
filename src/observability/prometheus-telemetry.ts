/**
 * The `Telemetry` port as Prometheus metrics for `GET /metrics` (PRODUCT.md §7), the only importer
 * of prom-client. One registry per instance (no global state), so tests and several apps in one
 * process do not share counters. Every label takes values from a bounded set (ADR 0026): MCP
 * exchanges are labelled by `mcpPeerLabel`, never by a `server_label` or URL a user typed.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { mcpPeerLabels } from "./mcp-peer-label.js";
import type {
  HttpRequestObservation,
  McpObservation,
  MetricsExposition,
  ModelCallObservation,
  Telemetry,
} from "./telemetry.js";

/** Distinct `connector` label values at most; later ones share `other` (admins may churn ids). */
const MAX_CONNECTOR_LABELS = 1_000;

export class PrometheusTelemetry implements Telemetry, MetricsExposition {
  readonly #registry = new Registry();
  readonly #connectorLabels = new Set<string>();
  readonly #httpRequests: Counter<"method" | "route" | "status">;
  readonly #httpDuration: Histogram<"method" | "route">;
  readonly #modelDuration: Histogram<"provider" | "outcome">;
  readonly #modelErrors: Counter<"provider" | "kind">;
  readonly #mcpRequests: Counter<"source" | "connector" | "operation" | "outcome">;
  readonly #mcpDuration: Histogram<"source" | "connector" | "operation">;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.#registry];
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.#registry });
    this.#httpRequests = new Counter({
      name: "patchbay_http_requests_total",
      help: "HTTP requests by route and status",
      labelNames: ["method", "route", "status"],
      registers,
    });
    this.#httpDuration = new Histogram({
      name: "patchbay_http_request_duration_seconds",
      help: "HTTP request latency until the response headers are ready",
      labelNames: ["method", "route"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
      registers,
    });
    this.#modelDuration = new Histogram({
      name: "patchbay_model_request_duration_seconds",
      help: "Upstream model call latency (whole turn)",
      labelNames: ["provider", "outcome"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers,
    });
    this.#modelErrors = new Counter({
      name: "patchbay_model_errors_total",
      help: "Upstream model failures by kind",
      labelNames: ["provider", "kind"],
      registers,
    });
    this.#mcpRequests = new Counter({
      name: "patchbay_mcp_requests_total",
      help: "MCP exchanges by connector (registry id for registry connectors, empty for server_url) and outcome; errors: every outcome but ok, tool_error and aborted",
      labelNames: ["source", "connector", "operation", "outcome"],
      registers,
    });
    this.#mcpDuration = new Histogram({
      name: "patchbay_mcp_request_duration_seconds",
      help: "MCP exchange latency by connector",
      labelNames: ["source", "connector", "operation"],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
  }

  get contentType(): string {
    return this.#registry.contentType;
  }

  render(): Promise<string> {
    return this.#registry.metrics();
  }

  recordHttpRequest(observation: HttpRequestObservation): void {
    const { method, route } = observation;
    this.#httpRequests.inc({ method, route, status: String(observation.status) });
    this.#httpDuration.observe({ method, route }, observation.durationMs / 1000);
  }

  recordModelCall(observation: ModelCallObservation): void {
    const { provider, outcome } = observation;
    this.#modelDuration.observe({ provider, outcome }, observation.durationMs / 1000);
    if (observation.errorKind !== null)
      this.#modelErrors.inc({ provider, kind: observation.errorKind });
  }

  recordMcp(observation: McpObservation): void {
    const labels = mcpPeerLabels(observation.peer);
    const source = labels.source;
    const connector = this.#connectorLabel(`${source}\u0000${labels.connector}`)
      ? labels.connector
      : "other";
    const { operation, outcome } = observation;
    this.#mcpRequests.inc({ source, connector, operation, outcome });
    this.#mcpDuration.observe({ source, connector, operation }, observation.durationMs / 1000);
  }

  /** False once `MAX_CONNECTOR_LABELS` others were seen: the peer is then counted as `other`. */
  #connectorLabel(key: string): boolean {
    if (this.#connectorLabels.has(key)) return true;
    if (this.#connectorLabels.size >= MAX_CONNECTOR_LABELS) return false;
    this.#connectorLabels.add(key);
    return true;
  }
}
