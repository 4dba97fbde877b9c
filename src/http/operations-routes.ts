/**
 * Open operational routes: liveness, readiness (storage reachable) and Prometheus metrics. No API
 * key needed (mounted before the `/v1` guard; `security: []` in the document).
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { MetricsExposition } from "../observability/telemetry.js";
import type { ResponseStore } from "../store/response-store.js";
import type { AppEnv } from "./app-env.js";
import { createRouter } from "./create-router.js";
import { jsonResponse } from "./openapi-route-parts.js";

const common = { tags: ["Operations"], security: [] };

const health = createRoute({
  ...common,
  method: "get",
  path: "/health",
  operationId: "getHealth",
  summary: "Liveness",
  responses: {
    200: jsonResponse(
      z.strictObject({ status: z.literal("ok") }).meta({ id: "Health" }),
      "The process is up.",
    ),
  },
});

const ready = createRoute({
  ...common,
  method: "get",
  path: "/ready",
  operationId: "getReady",
  summary: "Readiness: storage reachable",
  description: "Ready before the first registry crawl ends.",
  responses: {
    200: jsonResponse(
      z.strictObject({ status: z.literal("ready") }).meta({ id: "Ready" }),
      "Storage is reachable.",
    ),
    503: jsonResponse(
      z
        .strictObject({ status: z.literal("unavailable"), reason: z.string() })
        .meta({ id: "Unready" }),
      "Storage is not reachable.",
    ),
  },
});

const metricsRoute = createRoute({
  ...common,
  method: "get",
  path: "/metrics",
  operationId: "getMetrics",
  summary: "Prometheus metrics",
  responses: {
    200: {
      description: "Metrics.",
      content: {
        "text/plain": {
          schema: z.string().meta({
            id: "PrometheusMetrics",
            description: "Prometheus text exposition format (version 0.0.4).",
          }),
        },
      },
    },
  },
});

export function operationsRoutes(
  store: ResponseStore,
  metrics: MetricsExposition,
): OpenAPIHono<AppEnv> {
  return createRouter()
    .openapi(health, (c) => c.json({ status: "ok" as const }, 200))
    .openapi(ready, async (c) => {
      try {
        await store.ping();
        return c.json({ status: "ready" as const }, 200);
      } catch (error) {
        c.get("logger").warn({ err: error }, "storage not reachable");
        return c.json({ status: "unavailable" as const, reason: "storage not reachable" }, 503);
      }
    })
    .openapi(metricsRoute, async (c) =>
      c.text(await metrics.render(), 200, {
        "content-type": metrics.contentType,
      }),
    );
}
