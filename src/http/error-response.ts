/**
 * The single place that writes an error body (STYLE.md "Errors: two tiers"): OpenAI's envelope,
 * the mapped status and any extra headers; under `/v0.1` the MCP Registry's problem instead. An unexpected failure is logged with its cause and
 * stack; an expected one (a client error, a model server that is down) in one line.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../errors/api-error.js";
import { toApiError } from "../errors/to-api-error.js";
import { describeError } from "../lib/describe-error.js";
import type { AppEnv } from "./app-env.js";
import { isRegistryApiPath, toRegistryProblem } from "./registry-problem.js";

export function errorResponse(c: Context<AppEnv>, error: unknown): Response {
  const apiError = toApiError(fromFramework(error));
  const logger = c.get("logger");
  if (apiError.unexpected) logger.error({ err: error }, "request failed");
  else
    logger[apiError.status >= 500 ? "warn" : "info"](
      {
        status: apiError.status,
        code: apiError.code,
        param: apiError.param,
        // A 503's message is generic for the client; the log says what is unavailable and why.
        ...(apiError.status === 503 ? { reason: describeError(apiError.cause) } : {}),
      },
      apiError.message,
    );
  for (const [name, value] of Object.entries(apiError.headers)) c.header(name, value);
  if (isRegistryApiPath(c.req.path)) {
    const { status, body } = toRegistryProblem(apiError, error);
    return c.json(body, status as ContentfulStatusCode, {
      "content-type": "application/problem+json",
    });
  }
  return c.json(apiError.toEnvelope(), apiError.status as ContentfulStatusCode);
}

/**
 * A client error raised by the framework itself (e.g. a content type no route declares) keeps its
 * status and message; our own checks run first, so this is the rare case, never a 500.
 */
function fromFramework(error: unknown): unknown {
  if (!(error instanceof HTTPException) || error.status >= 500) return error;
  return new ApiError({
    status: error.status,
    type: "invalid_request_error",
    message: error.message || "Invalid request.",
    cause: error,
  });
}
