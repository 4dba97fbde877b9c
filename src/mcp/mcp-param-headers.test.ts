import { describe, expect, it } from "vitest";
import {
  mcpParamHeaders,
  scanMcpParamHeaders,
  withValidParamHeaders,
} from "./mcp-param-headers.js";

const marked = (type: string, name: unknown = "Region") => ({ type, "x-mcp-header": name });
const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: "object",
  properties,
  ...extra,
});
const b64 = (text: string) => `=?base64?${Buffer.from(text, "utf8").toString("base64")}?=`;

describe("scanMcpParamHeaders", () => {
  it("finds marked string, integer and boolean properties at any depth of 'properties'", () => {
    const scan = scanMcpParamHeaders(
      object({
        region: marked("string"),
        job: object({ priority: marked("integer", "Priority"), dry: marked("boolean", "Dry") }),
        plain: { type: "number" },
      }),
    );
    expect(scan).toEqual({
      valid: true,
      declarations: [
        { path: ["region"], headerName: "Region" },
        { path: ["job", "priority"], headerName: "Priority" },
        { path: ["job", "dry"], headerName: "Dry" },
      ],
    });
  });

  it.each([
    ["a number", object({ amount: marked("number", "Amount") })],
    ["an object", object({ filter: { ...object({}), "x-mcp-header": "Filter" } })],
    ["an untyped property", object({ region: { "x-mcp-header": "Region" } })],
    ["an empty name", object({ region: marked("string", "") })],
    ["a name with a space", object({ region: marked("string", "My Region") })],
    ["a name with a colon", object({ region: marked("string", "Region:") })],
    ["a non-ASCII name", object({ region: marked("string", "Régión") })],
    ["a name that is not a string", object({ region: marked("string", 7) })],
    [
      "two names equal but for case",
      object({ a: marked("string", "Region"), b: marked("string", "REGION") }),
    ],
    ["a mark on the root", { ...object({}), "x-mcp-header": "Root" }],
    ["a mark under items", object({ list: { type: "array", items: marked("string") } })],
    ["a mark under anyOf", object({}, { anyOf: [object({ region: marked("string") })] })],
    ["a mark under $defs", object({}, { $defs: { place: object({ region: marked("string") }) } })],
    ["a mark under additionalProperties", object({}, { additionalProperties: marked("string") })],
  ])("refuses %s", (_case, schema) => {
    expect(scanMcpParamHeaders(schema)).toMatchObject({ valid: false });
  });

  it("scans a schema nested 100,000 levels deep without running out of stack", () => {
    let schema: Record<string, unknown> = marked("string", "Deep");
    for (let level = 0; level < 100_000; level += 1) schema = object({ a: schema });
    const scan = scanMcpParamHeaders(schema);
    expect(scan.valid && scan.declarations[0]?.headerName).toBe("Deep");
    expect(scan.valid && scan.declarations[0]?.path).toHaveLength(100_000);
  });

  it("keeps every tool but the badly marked ones, and remembers the marked ones", () => {
    const { offered, paramHeaders } = withValidParamHeaders([
      { name: "plain", inputSchema: object({ q: { type: "string" } }) },
      { name: "route", inputSchema: object({ region: marked("string") }) },
      { name: "bad", inputSchema: object({ amount: marked("number", "Amount") }) },
    ]);
    expect(offered.map((tool) => (tool as { name: string }).name)).toEqual(["plain", "route"]);
    expect([...paramHeaders.keys()]).toEqual(["route"]);
  });
});

describe("mcpParamHeaders", () => {
  const declarations = [
    { path: ["region"], headerName: "Region" },
    { path: ["job", "priority"], headerName: "Priority" },
    { path: ["verbose"], headerName: "Verbose" },
  ];

  it("sends plain ASCII values as they are, booleans and integers as text", () => {
    expect(
      mcpParamHeaders(declarations, {
        region: "us west 1",
        job: { priority: 42 },
        verbose: false,
      }),
    ).toEqual({
      "Mcp-Param-Region": "us west 1",
      "Mcp-Param-Priority": "42",
      "Mcp-Param-Verbose": "false",
    });
  });

  it.each([
    ["non-ASCII", "Hello, 世界"],
    ["a leading space", " us-west1"],
    ["a trailing tab", "us-west1\t"],
    ["CR/LF", "line1\r\nline2"],
    ["a control character", "a\u0001b"],
    ["nothing", ""],
    ["what looks like the sentinel", "=?base64?abc?="],
  ])("sends a value with %s as =?base64?…?=", (_case, value) => {
    expect(mcpParamHeaders(declarations, { region: value })).toEqual({
      "Mcp-Param-Region": b64(value),
    });
  });

  it("sends no header for an absent, null or non-primitive argument, nor an unsafe integer", () => {
    expect(
      mcpParamHeaders(declarations, {
        region: null,
        job: { priority: 2 ** 60 },
        verbose: { nested: true },
      }),
    ).toEqual({});
    expect(mcpParamHeaders(declarations, {})).toEqual({});
  });
});
