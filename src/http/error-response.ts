/**
 * The single place that writes an error body (STYLE.md "Errors: two tiers"): OpenAI's envelope,
 * the mapped status and any extra headers. An unexpected failure is logged with its cause and
 * stack; an expected one (a client error, a model server that is down) in one line.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { toApiError } from "../errors/to-api-error.js";
import type { AppEnv } from "./app-env.js";

export function errorResponse(c: Context<AppEnv>, error: unknown): Response {
  const apiError = toApiError(error);
  const logger = c.get("logger");
  if (apiError.unexpected) logger.error({ err: error }, "request failed");
  else
    logger[apiError.status >= 500 ? "warn" : "info"](
      { status: apiError.status, code: apiError.code, param: apiError.param },
      apiError.message,
    );
  for (const [name, value] of Object.entries(apiError.headers)) c.header(name, value);
  return c.json(apiError.toEnvelope(), apiError.status as ContentfulStatusCode);
}
