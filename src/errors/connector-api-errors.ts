/**
 * How connector, MCP and registry failures reach the wire (PRODUCT.md §4, §5, §8.5, §8.10, §8.16;
 * reference §5.3), each written once and used only by `toApiError`.
 */
import { ApiError } from "./api-error.js";
import type { ConnectorResolutionError } from "./connector-resolution-error.js";
import type { ManagedObjectError } from "./managed-object-error.js";
import type { McpConnectionError } from "./mcp-connection-error.js";
import { RegistryError } from "./registry-error.js";
import type { RegistrySyncError } from "./registry-sync-error.js";
import type { ToolListingError } from "./tool-listing-error.js";

/**
 * A listing failure before a response starts: 424 in OpenAI's words (reference §5.3), followed by
 * the server it means (its redacted `server_url` or its `connector_id`), with a `code` that says
 * what happened: OpenAI's `http_error` for an HTTP error status, else `connection_failed`,
 * `timeout`, `protocol_error`, `response_too_large` or `egress_blocked` (issue 11 §8). On the
 * connector-tools routes, the MCP server's refusal of the caller's token stays the caller's fault
 * (401/403, like Llama Stack's `AuthenticationRequiredError`) and a server that is down, slow or
 * broken is a gateway fault (502, 504).
 */
export function fromToolListingError({ failure, purpose }: ToolListingError): ApiError {
  if (purpose.for === "response") {
    return fromMcpConnectionError(
      failure,
      `Error retrieving tool list from MCP server: '${purpose.serverLabel}'. ${failure.message} (${purpose.server})`,
    );
  }
  const reason = `Error retrieving tool list from connector '${purpose.connectorId}'. ${failure.message}`;
  const param = purpose.credentialsParam;
  if (failure.kind === "http" && (failure.status === 401 || failure.status === 403)) {
    const unauthorized = failure.status === 401;
    return new ApiError({
      status: failure.status,
      type: unauthorized ? "authentication_error" : "permission_error",
      code: unauthorized ? "connector_authentication_required" : "connector_permission_denied",
      param,
      message: `${reason} The MCP server ${unauthorized ? "needs a valid token" : "refused this token"}: pass yours in '${param}'.`,
      cause: failure,
    });
  }
  const timeout = failure.kind === "timeout";
  return new ApiError({
    status: timeout ? 504 : 502,
    type: "external_connector_error",
    code: timeout ? "connector_timeout" : "connector_error",
    message: reason,
    cause: failure,
  });
}

/** An MCP server that failed where no caller context was added: 424 (reference §5.3). */
export function fromMcpConnectionError(
  error: McpConnectionError,
  message = error.message,
): ApiError {
  return new ApiError({
    status: 424,
    type: "external_connector_error",
    code: error.code,
    param: "tools",
    message,
    cause: error,
  });
}

/**
 * An unknown id: 400 `unknown_connector` in a body, 404 in a path; an unusable registry entry: 400
 * naming what is missing; a registry that cannot be reached while its mirror lacks the name: 424
 * `registry_unavailable`, with `Retry-After` when the outage is remembered.
 */
export function fromConnectorResolutionError(error: ConnectorResolutionError): ApiError {
  const { connectorId, source, reason } = error;
  if (reason === null) {
    return source.in === "body"
      ? new ApiError({
          status: 400,
          type: "invalid_request_error",
          code: "unknown_connector",
          param: source.idParam,
          message: `Unknown connector_id '${connectorId}'. List the available connectors with GET /v1/connectors.`,
        })
      : new ApiError({
          status: 404,
          type: "invalid_request_error",
          param: source.idParam,
          message: `Connector with id '${connectorId}' not found.`,
        });
  }
  if (reason instanceof RegistryError) {
    const retry = reason.retryAfterSeconds();
    const next = retry === null ? "" : ` Patchbay asks the registry again in ${retry} s.`;
    return new ApiError({
      status: 424,
      type: "external_connector_error",
      code: "registry_unavailable",
      param: source.idParam,
      message: `Connector '${connectorId}' is not in the local mirror and its registry could not be reached: ${reason.message}${next}`,
      headers: retry === null ? {} : { "retry-after": String(retry) },
      cause: error,
    });
  }
  return new ApiError({
    status: 400,
    type: "invalid_request_error",
    code: reason.code,
    param: reason.code === "missing_header" ? source.headersParam : source.idParam,
    message: `Connector '${connectorId}': ${reason.message}`,
    cause: error,
  });
}

/**
 * A registry failure that no caller context made more precise is still the registry's fault,
 * never ours: 502 `registry_error`, as a failed forced sync (§8.16).
 */
export function fromRegistryError(error: RegistryError): ApiError {
  const retry = error.retryAfterSeconds();
  return new ApiError({
    status: 502,
    type: "server_error",
    code: "registry_error",
    message: `MCP registry request failed: ${error.message}`,
    headers: retry === null ? {} : { "retry-after": String(retry) },
    cause: error,
  });
}

/** A forced sync the registry made fail: 502 `registry_error`, naming the registry (§8.16). */
export function fromRegistrySyncError(error: RegistrySyncError): ApiError {
  return new ApiError({
    status: 502,
    type: "server_error",
    code: "registry_error",
    message: error.message,
    cause: error,
  });
}

/** Config objects are read-only (409 naming run.yaml), ids unique (409), `If-Match` current (412). */
export function fromManagedObjectError(error: ManagedObjectError): ApiError {
  const { kind, id, idParam } = error;
  switch (error.failure) {
    case "read_only":
      return new ApiError({
        status: 409,
        type: "invalid_request_error",
        code: "read_only",
        param: idParam,
        message: `${kind} '${id}' is defined in run.yaml and cannot be changed through the API; edit the config file instead.`,
        cause: error,
      });
    case "already_exists":
      return new ApiError({
        status: 409,
        type: "invalid_request_error",
        code: "already_exists",
        param: idParam,
        message: `${kind} '${id}' already exists.`,
        cause: error,
      });
    case "stale_revision":
      return new ApiError({
        status: 412,
        type: "invalid_request_error",
        code: "precondition_failed",
        param: "If-Match",
        message: `${kind} '${id}' has changed since it was read: fetch it again and retry with its new ETag.`,
        cause: error,
      });
    case "id_changed":
      return new ApiError({
        status: 400,
        type: "invalid_request_error",
        param: idParam,
        message: `The id of ${kind === "Connector" ? "a connector" : "an MCP registry"} cannot be changed; create a new one instead.`,
        cause: error,
      });
  }
}
