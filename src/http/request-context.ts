/**
 * Request id and access log middleware (PRODUCT.md §7): the id comes from `X-Request-Id` when it
 * is sane, or is generated; it is returned in that header and carried by every log line of the
 * request through a child logger. Also reports each request to telemetry.
 */
import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Logger } from "pino";
import type { Telemetry } from "../observability/telemetry.js";
import type { AppEnv } from "./app-env.js";

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestContext(
  logger: Logger,
  telemetry: Pick<Telemetry, "recordHttpRequest">,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const requestLogger = logger.child({ request_id: requestId });
    c.set("requestId", requestId);
    c.set("logger", requestLogger);
    const started = performance.now();
    // Set before the handler builds its response: setting it afterwards forces Hono to rebuild
    // the response object (a web ReadableStream per request, seen in profiles).
    c.header("x-request-id", requestId);
    await next();
    const route = routePath(c) || "unmatched";
    const durationMs = performance.now() - started;
    telemetry.recordHttpRequest({ method: c.req.method, route, status: c.res.status, durationMs });
    requestLogger.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        duration_ms: Math.round(durationMs),
      },
      "request",
    );
  };
}
