import { ApiError } from "./api-error.js";
import type { UpstreamModelError } from "./upstream-model-error.js";

/** What to do when no model server answers, typically on a first start without one. */
const MODEL_SERVER_HINT =
  "Start the model server, or point Patchbay at one: set INFERENCE_BASE_URL (used when the config file has no inference provider) or add a provider under providers.inference in the config file.";

/** Model server failures as PRODUCT.md §8.15 answers them. */
export function fromUpstreamModelError(error: UpstreamModelError): ApiError {
  const cause = error;
  if (error.kind === "timeout") {
    return new ApiError({
      status: 504,
      type: "server_error",
      code: "server_error",
      message: `The model server did not answer in time: ${error.message}`,
      cause,
    });
  }
  if (error.kind === "connection") {
    return new ApiError({
      status: 502,
      type: "server_error",
      code: "server_error",
      message: `${error.message}. ${MODEL_SERVER_HINT}`,
      cause,
    });
  }
  if (error.status === 429) {
    const headers: Record<string, string> = error.retryAfter
      ? { "retry-after": error.retryAfter }
      : {};
    return new ApiError({
      status: 429,
      type: "rate_limit_error",
      code: "rate_limit_exceeded",
      message: error.message,
      headers,
      cause,
    });
  }
  if (error.status === 401 || error.status === 403) {
    return new ApiError({
      status: 502,
      type: "server_error",
      code: "server_error",
      message: `The model server refused Patchbay's credentials (HTTP ${error.status}); check the provider's api_key.`,
      cause,
    });
  }
  if (error.status !== null && error.status >= 400 && error.status < 500) {
    return new ApiError({
      status: 400,
      type: "invalid_request_error",
      message: error.message,
      cause,
    });
  }
  return new ApiError({
    status: 502,
    type: "server_error",
    code: "server_error",
    message: `The model server failed: ${error.message}`,
    cause,
  });
}
