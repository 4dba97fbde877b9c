import type { FixtureListQuery } from "./registry-fixture-store.js";

/** An error answer in the registry's terms; the server renders it in the current error shape. */
export interface FixtureProblem {
  status: number;
  title: string;
  detail: string;
  errors?: Array<Record<string, unknown>>;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * `GET /servers` query parameters validated as the official registry does (reference
 * mcp-registry-api.md §1 "List query parameters"): `limit` 1–100 (default 30) else 422 with
 * `errors[]`; `updated_since` RFC 3339 else 400, and it forces `include_deleted`; the cursor is
 * `name:version`, split on the first `:`.
 */
export function parseFixtureListQuery(
  parameters: URLSearchParams,
): FixtureListQuery | FixtureProblem {
  const rawLimit = parameters.get("limit");
  const limit = rawLimit === null ? 30 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    const message = !Number.isInteger(limit)
      ? "invalid integer"
      : limit < 1
        ? "expected number >= 1"
        : "expected number <= 100";
    return validationFailed({ message, location: "query.limit", value: rawLimit });
  }
  const includeDeleted = parameters.get("include_deleted");
  if (includeDeleted !== null && includeDeleted !== "true" && includeDeleted !== "false") {
    const message = "expected boolean";
    return validationFailed({ message, location: "query.include_deleted", value: includeDeleted });
  }
  const since = parameters.get("updated_since");
  const updatedSince = since === null ? null : Date.parse(since);
  if (since !== null && (!RFC3339.test(since) || Number.isNaN(updatedSince))) {
    return badRequest(
      "Invalid updated_since format: expected RFC3339 timestamp (e.g., 2025-08-07T13:15:04.280Z)",
    );
  }
  if (since !== null && includeDeleted === "false") {
    return badRequest(
      "Cannot set include_deleted=false when using updated_since (incremental sync requires deleted servers)",
    );
  }
  const cursor = parameters.get("cursor");
  const separator = cursor?.indexOf(":") ?? -1;
  if (cursor !== null && separator < 0) return badRequest("Invalid cursor format");
  return {
    limit,
    cursor:
      cursor === null
        ? null
        : { name: cursor.slice(0, separator), version: cursor.slice(separator + 1) },
    cursorText: cursor,
    search: parameters.get("search") || null,
    updatedSince,
    version: parameters.get("version") || null,
    includeDeleted: includeDeleted === "true" || since !== null,
  };
}

export function isFixtureProblem(
  value: FixtureListQuery | FixtureProblem,
): value is FixtureProblem {
  return "status" in value;
}

function validationFailed(error: Record<string, unknown>): FixtureProblem {
  return {
    status: 422,
    title: "Unprocessable Entity",
    detail: "validation failed",
    errors: [error],
  };
}

function badRequest(detail: string): FixtureProblem {
  return { status: 400, title: "Bad Request", detail };
}
