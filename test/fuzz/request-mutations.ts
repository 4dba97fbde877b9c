/**
 * Mutations of valid `POST /v1/responses` bodies, one generator per family (issue 7 "Hostile
 * input"): a dropped key, a wrong type, an unknown key at any level, edge numbers, deep nesting in
 * typed and in free-form fields, 10,000-item arrays, and hostile strings. Each case says what its
 * answer must be when the family pins it down (the exact `param` for an unknown key, say).
 */
import fc from "fast-check";
import { formatZodPath } from "../../src/lib/format-zod-path.js";
import { expectError, fuzzCase, type FuzzCase } from "./fuzz-case.js";
import {
  allPaths,
  deepNesting,
  getAt,
  isJsonObject,
  RawJson,
  updateAt,
  type JsonPath,
  type JsonTree,
} from "./json-tree.js";
import {
  anyJsonValue,
  edgeNumber,
  invalidJsonToken,
  nastyString,
  numberishString,
  unknownKey,
} from "./nasty-values.js";
import { FREE_FORM_KEYS, OPEN_KEY_OBJECTS } from "./valid-requests.js";

const walk = { freeFormKeys: FREE_FORM_KEYS };
const REQUIRED_KEYS: ReadonlySet<string> = new Set(["model", "input"]);
const NUMERIC_FIELDS = [
  "temperature",
  "top_p",
  "max_output_tokens",
  "max_tool_calls",
  "top_logprobs",
];

const lastSegment = (path: JsonPath): string | number | undefined => path.at(-1);
const isFreeForm = (path: JsonPath): boolean => {
  const last = lastSegment(path);
  return typeof last === "string" && FREE_FORM_KEYS.has(last);
};
const show = (path: JsonPath): string => formatZodPath(path) || "(root)";

/** A base and one of its paths, picked uniformly. */
function basePath(
  bases: readonly JsonTree[],
  paths: (base: JsonTree) => JsonPath[],
): fc.Arbitrary<{ base: JsonTree; path: JsonPath }> {
  return fc.constantFrom(...bases).chain((base) => {
    const candidates = paths(base);
    return fc.constantFrom(...candidates).map((path) => ({ base, path }));
  });
}

export function droppedKeyCases(bases: readonly JsonTree[]): fc.Arbitrary<FuzzCase> {
  const objectKeys = (base: JsonTree) =>
    allPaths(base, walk).filter((path) => typeof lastSegment(path) === "string");
  return basePath(bases, objectKeys).map(({ base, path }) => {
    const key = String(lastSegment(path));
    const required = path.length === 1 && REQUIRED_KEYS.has(key);
    return fuzzCase(
      `drop ${show(path)}`,
      updateAt(base, path, undefined),
      required ? expectError(400, { param: key }) : undefined,
    );
  });
}

export function wrongTypeCases(bases: readonly JsonTree[]): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(
      basePath(bases, (base) => allPaths(base, walk)),
      anyJsonValue,
    )
    .map(([{ base, path }, value]) => fuzzCase(`set ${show(path)}`, updateAt(base, path, value)));
}

export function unknownKeyCases(bases: readonly JsonTree[]): fc.Arbitrary<FuzzCase> {
  const objects = (base: JsonTree): JsonPath[] => [
    [],
    ...allPaths(base, walk).filter((path) => {
      const last = lastSegment(path);
      const value = getAt(base, path);
      return (
        isJsonObject(value) &&
        !isFreeForm(path) &&
        !(typeof last === "string" && OPEN_KEY_OBJECTS.has(last))
      );
    }),
  ];
  return fc
    .tuple(basePath(bases, objects), unknownKey, anyJsonValue)
    .filter(([{ base, path }, key]) => {
      const target = getAt(base, path);
      return isJsonObject(target) && !Object.hasOwn(target, key);
    })
    .map(([{ base, path }, key, value]) => {
      const param = formatZodPath([...path, key]);
      return fuzzCase(
        `unknown key ${JSON.stringify(key)} in ${show(path)}`,
        updateAt(base, [...path, key], value),
        expectError(400, { param, code: "unknown_parameter" }),
      );
    });
}

export function numberCases(bases: readonly JsonTree[]): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(
      fc.constantFrom(...bases),
      fc.constantFrom(...NUMERIC_FIELDS),
      fc.oneof(
        edgeNumber.map((value) => ({ value, json: true })),
        numberishString.map((value): { value: JsonTree; json: boolean } => ({ value, json: true })),
        invalidJsonToken.map((value): { value: JsonTree; json: boolean } => ({
          value,
          json: false,
        })),
      ),
    )
    .map(([base, field, { value, json }]) =>
      fuzzCase(
        `number ${field}`,
        updateAt(base, [field], value),
        json
          ? (answer, error) => {
              if (error !== null && answer.status === 400 && error.param !== field) {
                throw new Error(`a bad '${field}' was reported as '${String(error.param)}'`);
              }
            }
          : expectError(400, { param: null }),
      ),
    );
}

/**
 * Nesting that fits in the fuzz target's 64 KiB body limit with the base around it: an object
 * level costs 6 bytes (`{"a":` and `}`), an array level 2.
 */
const nesting = fc.oneof(
  fc.record({ levels: fc.integer({ min: 1, max: 9_500 }), form: fc.constant("object" as const) }),
  fc.record({ levels: fc.integer({ min: 1, max: 28_000 }), form: fc.constant("array" as const) }),
);

/** Deep nesting where the schema expects a typed value: always a 400, found without recursion. */
export function deepTypedCases(bases: readonly JsonTree[]): fc.Arbitrary<FuzzCase> {
  const typed = (base: JsonTree) => allPaths(base, walk).filter((path) => !isFreeForm(path));
  return fc
    .tuple(basePath(bases, typed), nesting)
    .map(([{ base, path }, { levels, form }]) =>
      fuzzCase(
        `${levels}-deep ${form} at ${show(path)}`,
        updateAt(base, path, deepNesting(levels, form)),
        expectError(400, {}),
      ),
    );
}

/** Free-form JSON positions (schemas, tool parameters, replayed MCP payloads) in the bases. */
const FREE_FORM_TARGETS: readonly JsonPath[] = [
  ["text", "format", "schema"],
  ["text", "format", "schema", "properties"],
  ["tools", 0, "parameters"],
  ["tools", 0, "parameters", "properties", "word"],
  ["input", 0, "tools", 0, "input_schema"],
  ["input", 0, "tools", 0, "annotations"],
  ["input", 2, "error", "content"],
  ["input", 2, "error", "details"],
];

/** Deep nesting inside free-form fields: valid JSON the server must store, echo and forward. */
export function deepFreeFormCases(bases: readonly JsonTree[]): fc.Arbitrary<FuzzCase> {
  const targets = (base: JsonTree) =>
    FREE_FORM_TARGETS.filter((path) => getAt(base, path.slice(0, -1)) !== undefined);
  return fc
    .tuple(
      basePath(
        bases.filter((base) => targets(base).length > 0),
        targets,
      ),
      nesting,
    )
    .map(([{ base, path }, { levels, form }]) => {
      const nested = deepNesting(levels, form);
      const value = lastSegment(path) === "content" ? new RawJson(`[${nested.text}]`) : nested;
      return fuzzCase(`${levels}-deep ${form} in ${show(path)}`, updateAt(base, path, value));
    });
}

const HUGE_ARRAYS: ReadonlyArray<{ path: JsonPath; item: string }> = [
  { path: ["input"], item: "0" },
  { path: ["input"], item: '{"role":"user","content":"x"}' },
  { path: ["input"], item: "{}" },
  { path: ["include"], item: '""' },
  { path: ["tools"], item: "null" },
  { path: ["input", 0, "content"], item: '{"type":"input_text","text":""}' },
  { path: ["text", "format", "schema", "enum"], item: "0" },
];

/**
 * Arrays of up to 10,000 items, as many as fit in `bodyLimit`: bodies over the limit are the
 * hand-picked tests' business ("413" there).
 */
export function hugeArrayCases(
  bases: readonly JsonTree[],
  bodyLimit: number,
): fc.Arbitrary<FuzzCase> {
  const fits = (base: JsonTree, path: JsonPath) => {
    const parent = getAt(base, path.slice(0, -1));
    return isJsonObject(parent) || Array.isArray(parent);
  };
  const room = (item: string) =>
    Math.min(10_000, Math.floor((bodyLimit - 4_096) / (Buffer.byteLength(item) + 1)));
  return fc
    .tuple(
      fc.constantFrom(...bases),
      fc.constantFrom(...HUGE_ARRAYS),
      fc.double({ min: 0, max: 1, noNaN: true }),
    )
    .filter(([base, { path }]) => fits(base, path))
    .map(([base, { path, item }, fraction]) => {
      const length = Math.max(1, Math.round(fraction * room(item)));
      return fuzzCase(
        `${length} × ${item} at ${show(path)}`,
        updateAt(base, path, new RawJson(`[${new Array<string>(length).fill(item).join(",")}]`)),
      );
    });
}

/** A hostile string in place of any string value, inside free-form JSON too, or as a metadata key. */
export function nastyStringCases(bases: readonly JsonTree[]): fc.Arbitrary<FuzzCase> {
  const strings = (base: JsonTree) =>
    allPaths(base, { freeFormKeys: new Set() }).filter(
      (path) => typeof getAt(base, path) === "string",
    );
  const asValue = fc
    .tuple(basePath(bases, strings), nastyString)
    .map(([{ base, path }, text]) =>
      fuzzCase(`string at ${show(path)}`, updateAt(base, path, text)),
    );
  const asMetadataKey = fc
    .tuple(fc.constantFrom(...bases), nastyString, nastyString)
    .map(([base, key, value]) =>
      fuzzCase(
        `metadata key ${JSON.stringify(key)}`,
        updateAt(base, ["metadata"], { [key]: value }),
      ),
    );
  return fc.oneof({ weight: 4, arbitrary: asValue }, { weight: 1, arbitrary: asMetadataKey });
}
