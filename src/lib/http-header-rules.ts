/**
 * What an HTTP header may hold, checked once wherever a header enters Patchbay: the config file,
 * admin writes, a request's `tools[].headers` and `authorization`, and a connector token. Names are
 * RFC 9110 §5.6.2 tokens; values are what Node's HTTP client sends (RFC 9110 §5.5 field-value:
 * tab, visible ASCII, space and obs-text), so a value that passes can never fail at use time and
 * CR, LF and NUL (header injection) never get in. Messages name the header, never the value,
 * which may be a secret.
 */
import * as z from "zod";

export const MAX_HEADER_NAME_LENGTH = 256;
/** Generous for large bearer tokens (JWTs with many claims), far below any server's header limit. */
export const MAX_HEADER_VALUE_LENGTH = 16_384;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Why `name` cannot be a header name, or null when it can. */
export function headerNameProblem(name: string): string | null {
  if (name.length > MAX_HEADER_NAME_LENGTH)
    return `Header name '${name.slice(0, 64)}…' is longer than ${MAX_HEADER_NAME_LENGTH} characters.`;
  if (!TOKEN.test(name))
    return `Header name ${JSON.stringify(name.slice(0, 64))} is not a valid HTTP header name.`;
  return null;
}

/** Why `value` cannot be sent as a header value (a predicate: "contains …"), or null when it can. */
export function headerValueProblem(value: string): string | null {
  if (value.length > MAX_HEADER_VALUE_LENGTH)
    return `is longer than ${MAX_HEADER_VALUE_LENGTH} characters`;
  if (!FIELD_VALUE.test(value))
    return "contains CR, LF, NUL or another character not allowed in an HTTP header";
  return null;
}

/** One header value (a token, say) that must be sendable and not blank. */
export const HeaderValueSchema = z.string().superRefine((value, context) => {
  const problem = value.trim() === "" ? "must not be blank" : headerValueProblem(value);
  if (problem !== null) context.addIssue({ code: "custom", message: problem });
});

/**
 * Adds one issue per bad name or value on the headers object itself (`…headers`), so the path
 * names the field and the message names the header, never its value.
 */
export function checkHeaders(headers: Record<string, string>, context: z.RefinementCtx): void {
  for (const [name, value] of Object.entries(headers)) {
    const valueProblem = headerValueProblem(value);
    const problem =
      headerNameProblem(name) ??
      (valueProblem === null ? null : `The value of header '${name}' ${valueProblem}.`);
    if (problem !== null) context.addIssue({ code: "custom", message: problem });
  }
}
