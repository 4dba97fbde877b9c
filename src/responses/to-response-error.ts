/**
 * Any failure → the `error` of a failed Response object (reference §3.2 `response.failed`), so a
 * streamed failure and a stored background failure say the same thing.
 */
import { toApiError } from "../errors/to-api-error.js";
import type { ResponseError } from "./response-types.js";

export function toResponseError(error: unknown): ResponseError {
  const apiError = toApiError(error);
  return {
    code: apiError.status === 429 ? "rate_limit_exceeded" : "server_error",
    message: apiError.message,
  };
}
