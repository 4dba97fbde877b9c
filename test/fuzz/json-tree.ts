import type { JsonValue } from "fast-check";
/**
 * A JSON document the fuzzers can edit and then serialize byte for byte: besides plain JSON values
 * it holds `RawJson` leaves, spliced in verbatim, for what `JSON.stringify` cannot write (`1e400`,
 * `-0`, `NaN`, a 10,000-level nesting built as text). Objects are built with own data properties
 * only, so a key like `__proto__` stays a key on the wire.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

export type JsonTree = null | boolean | number | string | RawJson | JsonTree[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonTree;
}

export type JsonPath = ReadonlyArray<string | number>;

/** Serializes without recursion limits of its own beyond the tree's (raw leaves are not walked). */
export function toJsonText(tree: JsonTree): string {
  if (tree instanceof RawJson) return tree.text;
  if (Array.isArray(tree)) return `[${tree.map(toJsonText).join(",")}]`;
  if (tree !== null && typeof tree === "object") {
    const members = Object.entries(tree).map(
      ([key, value]) => `${JSON.stringify(key)}:${toJsonText(value)}`,
    );
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(tree);
}

export function isJsonObject(tree: JsonTree | undefined): tree is JsonObject {
  return (
    typeof tree === "object" && tree !== null && !Array.isArray(tree) && !(tree instanceof RawJson)
  );
}

export function getAt(tree: JsonTree, path: JsonPath): JsonTree | undefined {
  let current: JsonTree | undefined = tree;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === "number") current = current[segment];
    else if (isJsonObject(current) && typeof segment === "string")
      current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    else return undefined;
  }
  return current;
}

/** A copy of `tree` with the value at `path` replaced (`undefined` removes an object key). */
export function updateAt(tree: JsonTree, path: JsonPath, value: JsonTree | undefined): JsonTree {
  const [segment, ...rest] = path;
  if (segment === undefined) return value ?? null;
  if (Array.isArray(tree) && typeof segment === "number") {
    return tree.map<JsonTree>((item, index) =>
      index === segment ? updateAt(item, rest, value) : item,
    );
  }
  if (isJsonObject(tree) && typeof segment === "string") {
    const current = Object.hasOwn(tree, segment) ? tree[segment] : undefined;
    const next = rest.length === 0 ? value : updateAt(current ?? {}, rest, value);
    const entries: Array<[string, JsonTree]> = [];
    for (const [key, old] of Object.entries(tree)) {
      if (key !== segment) entries.push([key, old]);
      else if (next !== undefined) entries.push([key, next]);
    }
    if (current === undefined && next !== undefined) entries.push([segment, next]);
    return Object.fromEntries(entries);
  }
  throw new Error(`path ${JSON.stringify(path)} does not exist in the document`);
}

export interface PathFilter {
  /** Keys whose values are free-form JSON (`parameters`, `schema`…): not walked into. */
  freeFormKeys: ReadonlySet<string>;
}

/** Every path in the tree (the root excluded), not descending into free-form values. */
export function allPaths(tree: JsonTree, filter: PathFilter, prefix: JsonPath = []): JsonPath[] {
  const paths: JsonPath[] = [];
  const children: Array<[string | number, JsonTree]> = Array.isArray(tree)
    ? tree.map((item, index) => [index, item])
    : isJsonObject(tree)
      ? Object.entries(tree)
      : [];
  for (const [segment, child] of children) {
    const path = [...prefix, segment];
    paths.push(path);
    if (typeof segment === "string" && filter.freeFormKeys.has(segment)) continue;
    paths.push(...allPaths(child, filter, path));
  }
  return paths;
}

/** Nested arrays or objects `depth` levels deep around `leaf`, built as text (no recursion). */
export function deepNesting(depth: number, shape: "array" | "object", leaf = "1"): RawJson {
  return shape === "array"
    ? new RawJson(`${"[".repeat(depth)}${leaf}${"]".repeat(depth)}`)
    : new RawJson(`${'{"a":'.repeat(depth)}${leaf}${"}".repeat(depth)}`);
}

/** fast-check's JSON values type object members as optional; on the wire they are all present. */
export function fromJsonValue(value: JsonValue): JsonTree {
  if (Array.isArray(value)) return value.map(fromJsonValue);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).flatMap(([key, member]) =>
        member === undefined ? [] : [[key, fromJsonValue(member)]],
      ),
    );
  }
  return value;
}
