/**
 * Generators for hostile leaf values: strings with lone surrogates, NUL and other control
 * characters, numbers JSON.stringify cannot write, tokens that are not JSON at all, and keys no
 * request schema knows (including the ones that trip naive object code).
 */
import fc from "fast-check";
import { fromJsonValue, RawJson, type JsonTree } from "./json-tree.js";

const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const specialCharacter = fc.constantFrom(
  "\u0000",
  "\u0001",
  "\u001b",
  "\u007f",
  "\r\n",
  "\t",
  "\u2028",
  "\u2029",
  "\ufeff",
  "\ufffd",
  "\u200d",
  "\u{1f600}",
  "\u0301",
  "%00",
  "%2e%2e%2f",
  "../",
  "\\",
  '"',
  "'; DROP TABLE responses; --",
  "${env.HOME}",
  "{{x}}",
  "<script>",
);

/** Any string, biased towards the characters that break encoders, logs and SQL layers. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc
    .array(fc.oneof(surrogate, specialCharacter, fc.string({ maxLength: 4 })), { maxLength: 12 })
    .map((parts) => parts.join("")),
  fc.constantFrom("", " ", "\ud800", "\udc00", "\udc00\ud800", "\u0000", "a".repeat(10_000)),
);

/** Number tokens that are valid JSON but edge cases for a schema (sent verbatim). */
export const edgeNumber: fc.Arbitrary<JsonTree> = fc.oneof(
  fc
    .constantFrom(
      "1e309",
      "-1e309",
      "1e308",
      "-1e308",
      "1E400",
      "-0",
      "0.0",
      "-0.0",
      "5e-324",
      "1e-400",
      "9007199254740993",
      "-9007199254740993",
      "123456789012345678901234567890",
      "2.0000000000000001",
      "1.5",
      "20",
      "21",
      "-1",
      "0",
      "1",
      "2",
      "100",
    )
    .map((text) => new RawJson(text)),
  fc.double().map((value) => new RawJson(Number.isFinite(value) ? String(value) : "1e999")),
  fc.integer(),
);

/** Strings a lenient coercion might take for numbers. */
export const numberishString: fc.Arbitrary<string> = fc.constantFrom(
  "NaN",
  "-NaN",
  "Infinity",
  "-Infinity",
  "1e3",
  "0x10",
  "-1",
  "",
  " 1 ",
  "1,5",
  "0.5",
  "null",
  "true",
);

/** Tokens that make the whole body invalid JSON. */
export const invalidJsonToken: fc.Arbitrary<RawJson> = fc
  .constantFrom(
    "NaN",
    "Infinity",
    "-Infinity",
    "01",
    "1.",
    ".5",
    "+1",
    "0x10",
    "undefined",
    "'x'",
    "1_000",
    "--1",
  )
  .map((text) => new RawJson(text));

/** Keys that are not a field of any request object, including prototype names. */
export const unknownKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "",
    " ",
    "Model",
    "model ",
    "TYPE",
    "\u0000",
    "\ud800",
    "a.b",
    "x[0]",
    "frobnicate",
  ),
  nastyString.map((text) => `x-${text}`),
);

/** A leaf or small value of any JSON type, as a fuzzer would put in the wrong place. */
export const anyJsonValue: fc.Arbitrary<JsonTree> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map(fromJsonValue),
  nastyString,
  edgeNumber,
  fc.constantFrom<JsonTree>(null, true, false, 0, "", [], {}),
);
