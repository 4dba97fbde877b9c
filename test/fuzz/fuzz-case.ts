/**
 * One generated request and what its answer must satisfy beyond the universal rules. It prints as
 * its label and a bounded excerpt of the body, so a failure report stays readable when the body
 * is 60 KB of nesting.
 */
import fc from "fast-check";
import type { ErrorBody, HttpAnswer } from "./http-answer.js";
import { isJsonObject, toJsonText, type JsonTree } from "./json-tree.js";

export interface FuzzCase extends fc.WithToStringMethod {
  label: string;
  body: string;
  /** Top-level keys of the body: a 400 `param` may name one of them. */
  bodyKeys: string[];
  /** Case-specific checks, after the universal ones passed. */
  check(answer: HttpAnswer, error: ErrorBody | null): void;
}

export function fuzzCase(
  label: string,
  tree: JsonTree,
  check: FuzzCase["check"] = () => undefined,
): FuzzCase {
  const body = toJsonText(tree);
  const bodyKeys = isJsonObject(tree) ? Object.keys(tree) : [];
  return {
    label,
    body,
    bodyKeys,
    check,
    [fc.toStringMethod]: () =>
      `${label} (${body.length} bytes): ${body.length > 400 ? `${body.slice(0, 200)} … ${body.slice(-120)}` : body}`,
  };
}

/** Expect one exact client error. */
export function expectError(
  status: number,
  expected: { param?: string | null; code?: string | null },
): FuzzCase["check"] {
  return (answer, error) => {
    if (answer.status !== status || error === null) {
      throw new Error(
        `expected HTTP ${status}, got ${answer.status}: ${answer.text.slice(0, 300)}`,
      );
    }
    if (expected.param !== undefined && error.param !== expected.param) {
      throw new Error(
        `expected param ${JSON.stringify(expected.param)}, got ${JSON.stringify(error.param)} (${error.message})`,
      );
    }
    if (expected.code !== undefined && error.code !== expected.code) {
      throw new Error(
        `expected code ${String(expected.code)}, got ${String(error.code)} (${error.message})`,
      );
    }
  };
}
