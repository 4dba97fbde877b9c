import type { z } from "zod";
import type { ZodError } from "zod";
import { ApiError } from "./api-error.js";
import { formatZodPath } from "../lib/format-zod-path.js";

/** A validation failure names the first offending field, as OpenAI does (`param` = its path). */
export function fromZodError(error: ZodError): ApiError {
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
