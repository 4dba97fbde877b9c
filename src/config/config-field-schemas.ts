import * as z from "zod";
import { checkHeaders } from "../lib/http-header-rules.js";
import { isHttpUrl } from "../lib/is-http-url.js";

/*
 * Field schemas shared by the config schemas. Values arrive after env substitution, so numbers and
 * booleans may come as strings ("8321", "true"); these accept both (PRODUCT.md §2).
 */

/**
 * Message for a schema-level error that still reads "is required" when the value is missing
 * (a schema's own message wins over `configErrorMap`).
 */
export function expected(text: string): (issue: z.core.$ZodRawIssue) => string {
  return (issue) => (issue.input === undefined ? "is required" : text);
}

/** A substituted `${env.PORT:=8321}` arrives as the string "8321"; whole-number strings become numbers. */
export function integerFromEnv(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.preprocess(
    (value) => (typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value),
    z
      .number({ error: expected("expected an integer") })
      .int("expected an integer")
      .min(min, `expected an integer >= ${min}`)
      .max(max, `expected an integer <= ${max}`),
  );
}

/** "true"/"false" strings (from env substitution) become booleans; anything else is left to fail. */
export const BooleanFromEnvSchema = z.preprocess((value) => {
  if (typeof value !== "string") return value;
  const lowered = value.trim().toLowerCase();
  return lowered === "true" ? true : lowered === "false" ? false : value;
}, z.boolean());

/** Absolute http(s) URL; the value is not echoed in the message because it may carry credentials. */
export const HttpUrlSchema = z
  .string()
  .refine(isHttpUrl, "invalid URL (expected an absolute http:// or https:// URL)");

/** Ids, names and keys: a blank value (often an unset `${env.X:=}`) is a mistake, not a value. */
export const NonEmptyStringSchema = z.string().trim().min(1, "must not be empty");

/** Empty (e.g. an unset `${env.X:=}`) means "not given". */
export const OptionalTextSchema = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? null : value));

/**
 * Static headers the admin sets; YAML may type `X-Version: 2` as a number, which is kept as text.
 * Names and values follow `checkHeaders`: a value that could not be sent (CR, LF, NUL) is refused
 * here, not when it is used.
 */
export const HeadersSchema = z
  .record(
    z.string(),
    z
      .union([z.string(), z.number(), z.boolean()], { error: expected("expected a string") })
      .transform(String),
  )
  .superRefine(checkHeaders)
  .default({});
