/**
 * Parses a 2xx body at the boundary (STYLE.md "tolerant of others"): a body that does not have
 * even the loose shape the CLI needs is reported as an API error (exit 1), naming what was
 * expected, rather than crashing while printing.
 */
import type { z } from "zod";
import { ApiRequestError } from "./cli-errors.js";

/** `schema.parse(body)`, or an `ApiRequestError` saying `what` was malformed. */
export function parseAnswer<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  what: string,
): z.output<Schema> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  throw new ApiRequestError(
    `unexpected ${what} from the server${where}: ${issue?.message ?? "invalid"}`,
    200,
    null,
  );
}
