/**
 * SEP-2243 custom headers (MCP 2026-07-28, Streamable HTTP "Schema Extension"): a tool's
 * `inputSchema` may mark primitive properties with `x-mcp-header: <Name>`, and a client calling it
 * sends each such argument as an `Mcp-Param-<Name>` header too, so intermediaries can route on it.
 * A tool whose marks break the rules MUST NOT be offered (ADR 0030). The SDK 2.x client does this
 * only inside its own aggregate `tools/list`, which Patchbay cannot bound in bytes, and does not
 * export it; so it lives here, with the conformance suite's `http-custom-headers` and
 * `http-invalid-tool-headers` scenarios as the oracle.
 */

import { z } from "zod";
import type { McpToolCallError } from "./mcp-client.js";

const MARK = "x-mcp-header";
const HEADER_PREFIX = "Mcp-Param-";
/** RFC 9110 §5.1 `token`: no spaces, controls, non-ASCII or delimiters such as `:`. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** `number` is excluded by the specification (its text form is not unique). */
const MARKABLE_TYPES = new Set(["string", "integer", "boolean"]);
/** Subschemas a `properties` chain does not pass through: a mark under them is invalid. */
const UNREACHABLE_KEYWORDS = [
  "items",
  "prefixItems",
  "contains",
  "additionalProperties",
  "unevaluatedProperties",
  "unevaluatedItems",
  "propertyNames",
  "patternProperties",
  "dependentSchemas",
  "oneOf",
  "anyOf",
  "allOf",
  "not",
  "if",
  "then",
  "else",
  "$defs",
  "definitions",
] as const;
const KEYED_KEYWORDS = new Set(["patternProperties", "dependentSchemas", "$defs", "definitions"]);
const BASE64_OPEN = "=?base64?";
const BASE64_CLOSE = "?=";

/** `HeaderMismatch`: a 2026-07-28 server's answer to headers that disagree with the body. */
const HEADER_MISMATCH = -32020;

/** Whether a failed call was refused for its (missing or stale) `Mcp-Param-*` headers. */
export function isHeaderMismatch(error: McpToolCallError): boolean {
  return error.type === "mcp_protocol_error" && error.code === HEADER_MISMATCH;
}

/** One marked property: where it sits in the arguments, and the header it names. */
export interface McpParamDeclaration {
  path: readonly string[];
  headerName: string;
}

export type McpParamScan =
  { valid: true; declarations: McpParamDeclaration[] } | { valid: false; reason: string };

const MarkedToolSchema = z.looseObject({ name: z.string(), inputSchema: z.unknown() });

/**
 * The raw `tools/list` tools a 2026-07-28 client may offer (those whose marks keep the rules; the
 * others are dropped, as SEP-2243 requires), and the marked properties of each offered tool.
 */
export function withValidParamHeaders(rawTools: readonly unknown[]): {
  offered: unknown[];
  paramHeaders: Map<string, readonly McpParamDeclaration[]>;
} {
  const offered: unknown[] = [];
  const paramHeaders = new Map<string, readonly McpParamDeclaration[]>();
  for (const raw of rawTools) {
    const tool = MarkedToolSchema.safeParse(raw);
    const scan = scanMcpParamHeaders(tool.success ? tool.data.inputSchema : undefined);
    if (!scan.valid) continue;
    offered.push(raw);
    if (tool.success && scan.declarations.length > 0) {
      paramHeaders.set(tool.data.name, scan.declarations);
    }
  }
  return { offered, paramHeaders };
}

/**
 * Finds a tool's marked properties, or the first rule its marks break. Iterative, in document
 * order: a server's schema may be nested deeper than the stack would allow recursion.
 */
export function scanMcpParamHeaders(inputSchema: unknown): McpParamScan {
  const declarations: McpParamDeclaration[] = [];
  const seen = new Map<string, string>();
  // Paths are linked to their parent, and spelt out only for a mark: copying them at every level
  // would be quadratic in the depth.
  const stack: Visit[] = [{ node: inputSchema, at: null, reachable: true }];
  while (stack.length > 0) {
    const { node, at, reachable } = stack.pop()!;
    if (!isRecord(node)) continue;
    if (MARK in node) {
      const path = spell(at);
      const fault = checkMark(node, path, reachable, seen);
      if (fault !== undefined) return { valid: false, reason: fault };
      declarations.push({ path, headerName: node[MARK] as string });
    }
    const children: Visit[] = [];
    if (isRecord(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) {
        children.push({ node: child, at: { key, parent: at }, reachable });
      }
    }
    for (const keyword of UNREACHABLE_KEYWORDS) {
      const sub = node[keyword];
      if (sub === undefined) continue;
      const branches = Array.isArray(sub)
        ? sub
        : KEYED_KEYWORDS.has(keyword) && isRecord(sub)
          ? Object.values(sub)
          : [sub];
      for (const branch of branches) {
        children.push({ node: branch, at: { key: `<${keyword}>`, parent: at }, reachable: false });
      }
    }
    stack.push(...children.reverse());
  }
  return { valid: true, declarations };
}

interface PathLink {
  key: string;
  parent: PathLink | null;
}

interface Visit {
  node: unknown;
  at: PathLink | null;
  reachable: boolean;
}

function spell(at: PathLink | null): string[] {
  const path: string[] = [];
  for (let link = at; link !== null; link = link.parent) path.push(link.key);
  return path.reverse();
}

/** The rule a mark breaks, if any; remembers its name for the uniqueness rule. */
function checkMark(
  node: Record<string, unknown>,
  path: string[],
  reachable: boolean,
  seen: Map<string, string>,
): string | undefined {
  const where = path.length === 0 ? "the schema root" : `'${path.join(".")}'`;
  if (!reachable || path.length === 0) {
    return `${MARK} on ${where} is not a property reached through 'properties' alone`;
  }
  const name = node[MARK];
  if (typeof name !== "string" || !TOKEN.test(name)) {
    return `${MARK} on ${where} is not a non-empty HTTP token`;
  }
  if (typeof node.type !== "string" || !MARKABLE_TYPES.has(node.type)) {
    return `${MARK} on ${where} marks a property that is not a string, integer or boolean`;
  }
  const earlier = seen.get(name.toLowerCase());
  if (earlier !== undefined) return `${MARK} '${name}' repeats '${earlier}'`;
  seen.set(name.toLowerCase(), name);
  return undefined;
}

/**
 * The `Mcp-Param-*` headers of one `tools/call`. An argument that is absent, null or not a
 * primitive sends no header; a value that is not a plain ASCII field value (non-ASCII, controls,
 * CR/LF, surrounding spaces, empty) is sent as `=?base64?<UTF-8 in base64>?=`.
 */
export function mcpParamHeaders(
  declarations: readonly McpParamDeclaration[],
  args: Record<string, unknown>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { path, headerName } of declarations) {
    const text = primitiveText(valueAt(args, path));
    if (text !== undefined) headers[`${HEADER_PREFIX}${headerName}`] = encodeFieldValue(text);
  }
  return headers;
}

function primitiveText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isFinite(value)) {
    return Number.isInteger(value) && !Number.isSafeInteger(value) ? undefined : String(value);
  }
  return undefined;
}

function encodeFieldValue(text: string): string {
  const plain =
    text.length > 0 &&
    text === text.trim() &&
    !(text.startsWith(BASE64_OPEN) && text.endsWith(BASE64_CLOSE)) &&
    /^[\t\x20-\x7e]*$/.test(text);
  return plain
    ? text
    : `${BASE64_OPEN}${Buffer.from(text, "utf8").toString("base64")}${BASE64_CLOSE}`;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return node;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
