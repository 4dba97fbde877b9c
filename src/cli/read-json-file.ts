/**
 * `--file spec.json`: a connector or registry body (create) or a JSON merge patch (update) read
 * from disk, relative to the caller's working directory. Must be a JSON object; anything else is a
 * usage error, reported before any request is sent.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { JsonObjectSchema } from "./api-schemas.js";
import { UsageError } from "./cli-errors.js";

/** Reads and parses `path` as a JSON object. */
export async function readJsonObjectFile(
  path: string,
  command: string,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(resolve(path), "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`--file: cannot read ${path}: ${reason}`, { command, cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`--file: ${path} is not valid JSON: ${reason}`, { command, cause: error });
  }
  const parsed = JsonObjectSchema.safeParse(value);
  if (!parsed.success || Array.isArray(value))
    throw new UsageError(`--file: ${path} must hold a JSON object`, { command });
  return parsed.data;
}
