import type * as z from "zod";
import { formatZodPath } from "../lib/format-zod-path.js";

type Issue = z.core.$ZodIssue;

/** Error map for config parsing: a missing value reads "is required" rather than "expected string, received undefined". */
export function configErrorMap(issue: z.core.$ZodRawIssue): string | undefined {
  if (
    (issue.code === "invalid_type" || issue.code === "invalid_value") &&
    issue.input === undefined
  ) {
    return "is required";
  }
  return undefined;
}

/**
 * Turns zod issues into `path: message` lines: one line per unknown key (naming the key in the
 * path), and for a union the issues of the one alternative whose shape matched, so the user reads
 * `...allowed_tools.bogus: unknown key` rather than "Invalid input".
 */
export function formatZodIssues(issues: readonly Issue[], base: string): string[] {
  return issues.flatMap((issue) => formatIssue(issue, base));
}

function formatIssue(issue: Issue, base: string): string[] {
  const path = formatZodPath([base, ...issue.path]);
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => `${formatZodPath([path, key])}: unknown key`);
  }
  if (issue.code === "invalid_key") {
    return [`${path}: ${issue.issues.map((inner) => inner.message).join("; ")}`];
  }
  if (issue.code === "invalid_union") {
    const matched = issue.errors.filter((branch) =>
      branch.every(
        (inner) =>
          inner.path.length > 0 || inner.code === "unrecognized_keys" || inner.code === "custom",
      ),
    );
    const [only] = matched;
    if (matched.length === 1 && only !== undefined) {
      return formatZodIssues(only, path);
    }
  }
  return [`${path}: ${issue.message.replace(/^Invalid input: /, "")}`];
}
