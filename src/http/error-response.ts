/**
 * The single place that writes an error body (STYLE.md "Errors: two tiers"): OpenAI's envelope,
 * the mapped status and any extra headers. Server faults are logged with their cause.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { toApiError } from "../errors/to-api-error.js";
import type { AppEnv } from "./app-env.js";

export function errorResponse(c: Context<AppEnv>, error: unknown): Response {
  const apiError = toApiError(error);
  const logger = c.get("logger");
  if (apiError.status >= 500) logger.error({ err: error }, "request failed");
  else
    logger.info(
      { status: apiError.status, code: apiError.code, param: apiError.param },
      apiError.message,
    );
  for (const [name, value] of Object.entries(apiError.headers)) c.header(name, value);
  return c.json(apiError.toEnvelope(), apiError.status as ContentfulStatusCode);
}
