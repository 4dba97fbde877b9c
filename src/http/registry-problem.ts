/**
 * The error body of the `/v0.1` routes (docs/decisions/0024): the official registry answers RFC
 * 9457 problems (`{title, status, detail}`, `errors[]` and 422 for a failed validation; reference
 * mcp-registry-api.md §1 "Errors") while its OpenAPI documents `{"error": "…"}`; Patchbay sends
 * the problem with `error` beside `detail`, so clients of either shape read the message. Only
 * `errorResponse` calls this, for the paths under `REGISTRY_API_PREFIX`.
 */
import { STATUS_CODES } from "node:http";
import { ZodError } from "zod";
import type { ApiError } from "../errors/api-error.js";
import { formatZodPath } from "../lib/format-zod-path.js";
import type { z } from "zod";
import type { RegistryProblemSchema } from "./registry-api-schemas.js";

export const REGISTRY_API_PREFIX = "/v0.1/";

export function isRegistryApiPath(path: string): boolean {
  return path.startsWith(REGISTRY_API_PREFIX) || path === "/v0.1";
}

/** The status and problem body for `apiError` (mapped from `error`, the thrown value). */
export function toRegistryProblem(
  apiError: ApiError,
  error: unknown,
): { status: number; body: z.infer<typeof RegistryProblemSchema> } {
  if (error instanceof ZodError) {
    const status = 422;
    const detail = "validation failed";
    return {
      status,
      body: {
        title: STATUS_CODES[status] ?? "Unprocessable Entity",
        status,
        detail,
        error: apiError.message,
        errors: error.issues.map((issue) => ({
          message: issue.message,
          location: `query.${formatZodPath(issue.path)}`,
        })),
      },
    };
  }
  const status = apiError.status;
  return {
    status,
    body: {
      title: STATUS_CODES[status] ?? "Error",
      status,
      detail: apiError.message,
      error: apiError.message,
    },
  };
}
