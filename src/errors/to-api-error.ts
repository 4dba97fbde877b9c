import { ZodError } from "zod";
import type { z } from "zod";
import { ApiError } from "./api-error.js";
import { McpConnectionError } from "./mcp-connection-error.js";
import { RegistryError } from "./registry-error.js";
import { UpstreamModelError } from "./upstream-model-error.js";
import { ShutdownError } from "./shutdown-error.js";
import { NoInferenceProviderError } from "./no-inference-provider-error.js";
import { StorageUnavailableError } from "./storage-unavailable-error.js";
import { formatZodPath } from "../lib/format-zod-path.js";

/**
 * The single mapping from any failure to an `ApiError` (STYLE.md "Errors: two tiers").
 * Upstream model statuses follow PRODUCT.md §8.15; MCP listing failures §8.5 / reference §5.3.
 * Anything unrecognised is a 500 with a generic message, marked `unexpected`: callers log the
 * cause with its stack, and everything else in one line.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) return fromZodError(error);
  if (error instanceof UpstreamModelError) return fromUpstreamModelError(error);
  if (error instanceof McpConnectionError) return fromMcpConnectionError(error);
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

/**
 * A registry failure that no route mapped more precisely (those say what was being looked up) is
 * still the registry's fault, never ours: 502 `registry_error`, as a failed forced sync (§8.16).
 */
function fromRegistryError(error: RegistryError): ApiError {
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

/** A validation failure names the first offending field, as OpenAI does (`param` = its path). */
function fromZodError(error: ZodError): ApiError {
  const first = error.issues[0];
  const issue = first && !isMissingUnion(first) ? mostSpecificIssue(first) : first;
  if (!issue)
    return new ApiError({
      status: 400,
      type: "invalid_request_error",
      message: "Invalid request.",
      cause: error,
    });
  const path = formatZodPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    const names = issue.keys.map((key) => (path ? `${path}.${key}` : key));
    return new ApiError({
      status: 400,
      type: "invalid_request_error",
      code: "unknown_parameter",
      message: `Unknown parameter: '${names.join("', '")}'.`,
      param: names[0] ?? null,
      cause: error,
    });
  }
  const missing =
    (issue.code === "invalid_type" && issue.message.includes("received undefined")) ||
    isMissingUnion(issue);
  const message = missing
    ? `Missing required parameter: '${path}'.${alsoUnknown(error, issue.path.slice(0, -1))}`
    : `Invalid '${path || "body"}': ${issue.message}`;
  return new ApiError({
    status: 400,
    type: "invalid_request_error",
    code: missing ? "missing_required_parameter" : "invalid_value",
    message,
    param: path || null,
    cause: error,
  });
}

/**
 * A missing field is often a misspelt one (`"inptu"`): name the unknown keys beside it too, so
 * the caller sees both halves of the typo.
 */
function alsoUnknown(error: ZodError, parent: readonly PropertyKey[]): string {
  const prefix = formatZodPath(parent);
  const names = error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys" && formatZodPath(issue.path) === prefix
      ? issue.keys.map((key) => (prefix ? `${prefix}.${key}` : key))
      : [],
  );
  return names.length === 0 ? "" : ` Unknown parameter: '${names.join("', '")}'.`;
}

/** A union field left out entirely: every branch says it received undefined at the field itself. */
function isMissingUnion(issue: z.core.$ZodIssue): boolean {
  return (
    issue.code === "invalid_union" &&
    issue.errors.length > 0 &&
    issue.errors.every((branch) =>
      branch.some(
        (inner) =>
          inner.code === "invalid_type" &&
          inner.path.length === 0 &&
          inner.message.includes("received undefined"),
      ),
    )
  );
}

/**
 * A union (e.g. `input`: string or items) reports one issue per branch; the branch that got
 * furthest into the value names the field the caller actually got wrong.
 */
function mostSpecificIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return issue;
  let best: z.core.$ZodIssue = issue;
  for (const branch of issue.errors) {
    for (const inner of branch) {
      const candidate = mostSpecificIssue({ ...inner, path: [...issue.path, ...inner.path] });
      if (candidate.path.length > best.path.length) best = candidate;
    }
  }
  return best;
}

/** What to do when no model server answers, typically on a first start without one. */
const MODEL_SERVER_HINT =
  "Start the model server, or point Patchbay at one: set INFERENCE_BASE_URL (used when the config file has no inference provider) or add a provider under providers.inference in the config file.";

function fromUpstreamModelError(error: UpstreamModelError): ApiError {
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

function fromMcpConnectionError(error: McpConnectionError): ApiError {
  return new ApiError({
    status: 424,
    type: "external_connector_error",
    code: error.code,
    param: "tools",
    message: error.message,
    cause: error,
  });
}
