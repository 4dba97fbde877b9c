import { RegistryError } from "../errors/registry-error.js";
import { RegistryErrorBodySchema } from "./registry-response-schema.js";
import type { RegistryResponse } from "./send-registry-request.js";

const MAX_DETAIL_CHARS = 300;

/**
 * A non-success registry answer → `RegistryError{kind:"http"}` whose message carries the registry's
 * own words from either body shape: problem+json `detail` (plus each `errors[]` entry of a 422) or
 * the OpenAPI's `{"error":"…"}` (reference §1 "Errors"). Any other body yields the bare status.
 */
export function toRegistryHttpError(operation: string, response: RegistryResponse): RegistryError {
  const detail = describeBody(response.text);
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  const message = `MCP registry ${operation} failed with ${status}${detail ? `: ${detail}` : "."}`;
  return new RegistryError(message, { kind: "http", status: response.status });
}

function describeBody(text: string): string | null {
  const body = RegistryErrorBodySchema.safeParse(parseJsonOrNull(text));
  if (!body.success) return null;
  const { title, detail, error, errors } = body.data;
  const main = detail ?? error ?? title ?? null;
  const details = (errors ?? [])
    .map((issue) => [issue.location, issue.message].filter(Boolean).join(": "))
    .filter((issue) => issue.length > 0);
  const described = [main, details.length > 0 ? `(${details.join("; ")})` : null]
    .filter((part): part is string => part !== null)
    .join(" ");
  return described ? described.slice(0, MAX_DETAIL_CHARS) : null;
}

/** Parses JSON, or null when the text is not JSON (an HTML page from a proxy, say). */
function parseJsonOrNull(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    return null;
  }
}
