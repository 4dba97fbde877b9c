/**
 * Builds a create body or a merge-patch body (PRODUCT.md §8.10) from field flags, or takes it whole
 * from `--file`. Flags map 1:1 to the API's snake_case fields, so the server's validation (the
 * config file's) stays the only validation of values; the CLI checks only the flag syntax.
 */
import { UsageError } from "./cli-errors.js";
import type { CommandOptions, OptionSpec } from "./command.js";
import { readJsonObjectFile } from "./read-json-file.js";

/** One field flag: `--server-label X` → `server_label: "X"`. */
export interface BodyField {
  flag: string;
  key: string;
  /** `list`: repeatable flag → array; `map`: repeatable `K=V` → object. */
  kind: "string" | "integer" | "list" | "map";
  value: string;
  description: string;
}

/** `--file` (shared by every create/update command). */
export const FILE_OPTION: OptionSpec = {
  type: "string",
  value: "PATH",
  description: "take the whole body (create) or JSON merge patch (update) from a JSON file",
};

/** The `parseArgs`/help specs of `fields`, plus `--file`. */
export function fieldOptions(fields: readonly BodyField[]): Record<string, OptionSpec> {
  const options: Record<string, OptionSpec> = {};
  for (const field of fields) {
    const repeatable = field.kind === "list" || field.kind === "map";
    options[field.flag] = {
      type: "string",
      value: field.value,
      description: repeatable ? `${field.description} (repeatable)` : field.description,
      ...(repeatable ? { multiple: true } : {}),
    };
  }
  return { ...options, file: FILE_OPTION };
}

/**
 * The request body: `--file`'s object, or the given field flags. `required` flags must be given
 * unless `--file` is; an update with nothing to change is a usage error.
 */
export async function readBody(
  options: CommandOptions,
  fields: readonly BodyField[],
  required: readonly string[],
): Promise<Record<string, unknown>> {
  const given = options.given(fields.map((field) => field.flag));
  const file = options.string("file");
  if (file !== undefined) {
    if (given.length > 0)
      throw new UsageError(
        `--file cannot be combined with ${given.map((flag) => `--${flag}`).join(", ")}`,
        { command: options.command },
      );
    return readJsonObjectFile(file, options.command);
  }
  for (const flag of required) options.requiredString(flag);
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = readField(options, field);
    if (value !== undefined) body[field.key] = value;
  }
  if (Object.keys(body).length === 0)
    throw new UsageError("nothing to change: give at least one field flag or --file", {
      command: options.command,
    });
  return body;
}

function readField(options: CommandOptions, field: BodyField): unknown {
  switch (field.kind) {
    case "string":
      return options.string(field.flag);
    case "integer":
      return options.integer(field.flag);
    case "list":
      return options.strings(field.flag);
    case "map":
      return options.keyValues(field.flag);
  }
}
