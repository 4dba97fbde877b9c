/**
 * A peer's error text made safe to keep and show (issue 15 §3 "last_error (redacted)"): a server
 * may echo what it was sent, so every credential and header value of the target is replaced, and
 * the text is cut short and kept to one line.
 */
import type { McpServerTarget } from "./mcp-client.js";

const MAX_MESSAGE_CHARS = 300;
/** Shorter values (`1`, `yes`) would blank out innocent words; no secret is this short. */
const MIN_SECRET_CHARS = 6;

export function redactSecrets(message: string, target: McpServerTarget): string {
  const secrets = [
    ...Object.values(target.headers),
    ...(target.credentials === undefined ? [] : [target.credentials.token]),
  ]
    .flatMap((value) => [value, value.replace(/^bearer\s+/i, "")])
    .filter((value) => value.length >= MIN_SECRET_CHARS)
    .sort((left, right) => right.length - left.length);
  let redacted = message;
  for (const secret of secrets) redacted = redacted.split(secret).join("[redacted]");
  // eslint-disable-next-line no-control-regex
  redacted = redacted.replace(/[\u0000-\u001f\u007f]+/g, " ");
  return redacted.length > MAX_MESSAGE_CHARS
    ? `${redacted.slice(0, MAX_MESSAGE_CHARS - 1)}…`
    : redacted;
}
