/**
 * Prometheus metrics for `GET /metrics` (PRODUCT.md §7). One registry per app instance (no
 * global state), so tests and several apps in one process do not share counters.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route">;
  modelDuration: Histogram<"provider" | "outcome">;
  modelErrors: Counter<"provider" | "kind">;
  mcpCalls: Counter<"server_label" | "outcome">;
  mcpDuration: Histogram<"server_label">;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: "patchbay_http_requests_total",
      help: "HTTP requests by route and status",
      labelNames: ["method", "route", "status"],
      registers,
    }),
    httpDuration: new Histogram({
      name: "patchbay_http_request_duration_seconds",
      help: "HTTP request latency until the response headers are ready",
      labelNames: ["method", "route"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
      registers,
    }),
    modelDuration: new Histogram({
      name: "patchbay_model_request_duration_seconds",
      help: "Upstream model call latency (whole turn)",
      labelNames: ["provider", "outcome"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers,
    }),
    modelErrors: new Counter({
      name: "patchbay_model_errors_total",
      help: "Upstream model failures by kind",
      labelNames: ["provider", "kind"],
      registers,
    }),
    mcpCalls: new Counter({
      name: "patchbay_mcp_calls_total",
      help: "MCP tool calls by server_label and outcome",
      labelNames: ["server_label", "outcome"],
      registers,
    }),
    mcpDuration: new Histogram({
      name: "patchbay_mcp_call_duration_seconds",
      help: "MCP tool call latency",
      labelNames: ["server_label"],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    }),
  };
}
