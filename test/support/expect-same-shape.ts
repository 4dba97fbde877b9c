/**
 * Compares a JSON answer with a reference example by shape, not by value: the same keys at every
 * level, and the same JSON kind for each value. `null` matches any kind, since the references
 * declare those fields `X | None`. Free-form members (JSON Schemas) are compared by kind only.
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";

const FREE_FORM = new Set(["input_schema", "output_schema"]);

/** Parses `test/e2e/fixtures/<name>` (typed `unknown`: the shape check is what reads it). */
export function loadJsonFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../e2e/fixtures/${name}`, import.meta.url), "utf8"));
}

export function expectSameShape(actual: unknown, reference: unknown, path = "$"): void {
  const actualKind = kindOf(actual);
  const referenceKind = kindOf(reference);
  if (actualKind === "null" || referenceKind === "null") return;
  expect(actualKind, `${path} kind`).toBe(referenceKind);
  if (FREE_FORM.has(path.split(".").at(-1) ?? "")) return;
  if (Array.isArray(actual) && Array.isArray(reference)) {
    const [first] = reference;
    if (first === undefined) return;
    actual.forEach((item, index) => expectSameShape(item, first, `${path}[${index}]`));
    return;
  }
  if (isRecord(actual) && isRecord(reference)) {
    expect(Object.keys(actual).sort(), `${path} keys`).toEqual(Object.keys(reference).sort());
    for (const key of Object.keys(reference))
      expectSameShape(actual[key], reference[key], `${path}.${key}`);
  }
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
