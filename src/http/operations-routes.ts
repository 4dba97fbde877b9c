/**
 * Open operational routes (PRODUCT.md §7, §8.3): liveness, readiness (storage reachable) and
 * Prometheus metrics. No API key needed.
 */
import { Hono } from "hono";
import type { Metrics } from "../observability/metrics.js";
import type { ResponseStore } from "../store/response-store.js";
import type { AppEnv } from "./app-env.js";

export function operationsRoutes(store: ResponseStore, metrics: Metrics): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/health", (c) => c.json({ status: "ok" }));
  routes.get("/ready", async (c) => {
    try {
      await store.ping();
      return c.json({ status: "ready" });
    } catch (error) {
      c.get("logger").warn({ err: error }, "storage not reachable");
      return c.json({ status: "unavailable", reason: "storage not reachable" }, 503);
    }
  });
  routes.get("/metrics", async (c) => {
    c.header("content-type", metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });
  return routes;
}
