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
  return schema.parse(parsed);
}
