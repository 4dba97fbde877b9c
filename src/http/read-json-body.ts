/**
 * Reads a JSON request body and validates it with a strict schema, so every bad body is a 400 in
 * OpenAI's envelope with `param` naming the field (PRODUCT.md §3; non-negotiable 3).
 */
import type { Context } from "hono";
import type { z } from "zod";
import { invalidRequest } from "../errors/api-error.js";

export async function readJsonBody<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw invalidRequest("Request body must be JSON: set 'Content-Type: application/json'.");
  }
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
  const valid = schema.parse(parsed);
  const tooDeep = pathDeeperThan(parsed, MAX_DEPTH);
  if (tooDeep !== null) {
    throw invalidRequest(
      `JSON nested more than ${MAX_DEPTH} levels deep is not accepted.`,
      tooDeep || null,
      "nesting_too_deep",
    );
  }
  return valid;
}

/**
 * Deeper documents are refused at the door: copying, storing and serialising them would overflow
 * the stack later (found by the fuzz suite as a 500). Generous for JSON Schemas and tool arguments.
 */
export const MAX_DEPTH = 64;

/**
 * The path of the field holding a value nested deeper than `limit` (its first three segments, e.g.
 * `tools[0].parameters`), or null. Iterative, so the check itself cannot overflow the stack.
 * Schema errors are reported first: typed fields fail validation long before this depth.
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
