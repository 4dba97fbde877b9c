/**
 * JSON request bodies: every bad body is a 400 in OpenAI's envelope (non-negotiable 3). A route
 * taking a body lists `readJsonBody` in its `middleware` and its schema in `request.body`
 * (`jsonBody`): the middleware refuses a non-JSON content type, unparsable JSON and a body that is
 * not an object with our own messages, then the route's schema validates it (`param` names the
 * field), then `rejectDeepJson` (run by the routers' `defaultHook`) refuses absurd nesting.
 */
import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import { invalidRequest } from "../errors/invalid-request-error.js";

/** `request.body` of a route that takes a JSON object validated by `schema`. */
export function jsonBody<
  Schema extends z.ZodType,
  MediaType extends JsonMediaType = "application/json",
>(
  schema: Schema,
  description: string,
  mediaTypes: readonly MediaType[] = ["application/json" as MediaType],
) {
  const content = Object.fromEntries(mediaTypes.map((mediaType) => [mediaType, { schema }]));
  return {
    description,
    required: true,
    content: content as { [Key in MediaType]: { schema: Schema } },
  };
}

/** `request.body` of a route whose JSON object may be left out (`readOptionalJsonBody`). */
export function optionalJsonBody<Schema extends z.ZodType>(schema: Schema, description: string) {
  return { ...jsonBody(schema, description), required: false };
}

export type JsonMediaType = "application/json" | "application/merge-patch+json";

export const readJsonBody: MiddlewareHandler = async (c, next) => {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw invalidRequest("Request body must be JSON: set 'Content-Type: application/json'.");
  }
  // Read once: the route's validator parses the same cached text.
  const text = await c.req.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidRequest(
      `We could not parse the JSON body of your request: ${error instanceof Error ? error.message : "invalid JSON"}.`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidRequest("Request body must be a JSON object.");
  }
  return next();
};

/** `readJsonBody`, except that a request with no body at all (and no content type) passes. */
export const readOptionalJsonBody: MiddlewareHandler = async (c, next) => {
  const length = c.req.header("content-length");
  const empty =
    c.req.header("content-type") === undefined &&
    c.req.header("transfer-encoding") === undefined &&
    (length === undefined || length === "0");
  return empty ? next() : readJsonBody(c, next);
};

/**
 * Deeper documents are refused at the door: copying, storing and serialising them would overflow
 * the stack later (found by the fuzz suite as a 500). Generous for JSON Schemas and tool arguments.
 */
export const MAX_DEPTH = 64;

/**
 * Runs after the schema accepted the body, so schema errors are reported first: typed fields fail
 * validation long before this depth, and free-form fields keep their nesting through the schema.
 */
export function rejectDeepJson(value: unknown): void {
  if (typeof value !== "object" || value === null) return;
  const tooDeep = pathDeeperThan(value, MAX_DEPTH);
  if (tooDeep !== null) {
    throw invalidRequest(
      `JSON nested more than ${MAX_DEPTH} levels deep is not accepted.`,
      tooDeep || null,
      "nesting_too_deep",
    );
  }
}

/**
 * The path of the field holding a value nested deeper than `limit` (its first three segments, e.g.
 * `tools[0].parameters`), or null. Iterative, so the check itself cannot overflow the stack.
 * Runs on every body: leaves (most of the values) are skipped before a path is built for them.
 */
function pathDeeperThan(root: object, limit: number): string | null {
  const stack: Array<{ value: object; depth: number; path: string }> = [
    { value: root, depth: 0, path: "" },
  ];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (depth > limit) return shorten(path);
    const isArray = Array.isArray(value);
    const entries: Array<[string, unknown]> = Object.entries(value);
    for (const [key, child] of entries) {
      const leaf = typeof child !== "object" || child === null;
      // A leaf counts only when it is itself one level too deep; otherwise it needs no path.
      if (leaf && depth < limit) continue;
      const childPath = isArray ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (leaf) return shorten(childPath);
      stack.push({ value: child, depth: depth + 1, path: childPath });
    }
  }
  return null;
}

function shorten(path: string): string {
  const segments = path.match(/[^.[\]]+|\[\d+\]/g) ?? [];
  return segments
    .slice(0, 3)
    .reduce(
      (out, segment) =>
        segment.startsWith("[") || out === "" ? out + segment : `${out}.${segment}`,
      "",
    );
}
