import { ZodError } from "zod";
import { ApiError } from "./api-error.js";
import {
  fromConnectorResolutionError,
  fromManagedObjectError,
  fromMcpConnectionError,
  fromRegistryError,
  fromRegistrySyncError,
  fromToolListingError,
} from "./connector-api-errors.js";
import { ConnectorResolutionError } from "./connector-resolution-error.js";
import { fromUpstreamModelError } from "./from-upstream-model-error.js";
import { fromZodError } from "./from-zod-error.js";
import { InvalidRequestError } from "./invalid-request-error.js";
import { ManagedObjectError } from "./managed-object-error.js";
import { McpConnectionError } from "./mcp-connection-error.js";
import { NoInferenceProviderError } from "./no-inference-provider-error.js";
import { NotFoundError } from "./not-found-error.js";
import { RegistryError } from "./registry-error.js";
import { RegistrySyncError } from "./registry-sync-error.js";
import { ShutdownError } from "./shutdown-error.js";
import { StorageUnavailableError } from "./storage-unavailable-error.js";
import { ToolListingError } from "./tool-listing-error.js";
import { UpstreamModelError } from "./upstream-model-error.js";

/**
 * The single mapping from any failure to an `ApiError` (STYLE.md "Errors: two tiers"). Domain
 * errors carry their kind and context (the field or path parameter they concern); only this
 * folder turns them into statuses, types and messages. Upstream model statuses follow PRODUCT.md
 * §8.15; MCP listing failures §8.5 / reference §5.3. Anything unrecognised is a 500 with a generic
 * message, marked `unexpected`: callers log the cause with its stack, and everything else in one
 * line.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) return fromZodError(error);
  if (error instanceof InvalidRequestError) {
    return new ApiError({
      status: 400,
      type: "invalid_request_error",
      code: error.code,
      param: error.param,
      message: error.message,
      cause: error,
    });
  }
  if (error instanceof NotFoundError) {
    return new ApiError({
      status: 404,
      type: "invalid_request_error",
      param: error.param,
      message: error.message,
      cause: error,
    });
  }
  if (error instanceof UpstreamModelError) return fromUpstreamModelError(error);
  if (error instanceof ToolListingError) return fromToolListingError(error);
  if (error instanceof McpConnectionError) return fromMcpConnectionError(error);
  if (error instanceof ConnectorResolutionError) return fromConnectorResolutionError(error);
  if (error instanceof ManagedObjectError) return fromManagedObjectError(error);
  if (error instanceof RegistrySyncError) return fromRegistrySyncError(error);
  if (error instanceof RegistryError) return fromRegistryError(error);
  if (error instanceof ShutdownError) {
    return new ApiError({
      status: 503,
      type: "server_error",
      code: "server_shutting_down",
      message: error.message,
      cause: error,
    });
  }
  if (error instanceof StorageUnavailableError) {
    return new ApiError({
      status: 503,
      type: "server_error",
      code: "storage_unavailable",
      message: "The storage backend is unavailable; retry the request shortly.",
      cause: error,
    });
  }
  if (error instanceof NoInferenceProviderError) {
    return new ApiError({
      status: 500,
      type: "server_error",
      code: "server_error",
      message: error.message,
      cause: error,
    });
  }
  return new ApiError({
    status: 500,
    type: "server_error",
    message: "The server had an error while processing your request.",
    unexpected: true,
    cause: error,
  });
}
