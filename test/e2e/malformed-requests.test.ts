import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

let model: ScriptedModel;
let patchbay: TestPatchbay;

beforeAll(async () => {
  model = await startScriptedModel();
  patchbay = await startPatchbay({ modelUrl: model.url });
});
afterAll(async () => {
  await patchbay.close();
  await model.close();
});

async function call(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: { error: Record<string, unknown> } }> {
  const response = await fetch(`${patchbay.url}${path}`, init);
  return {
    status: response.status,
    body: (await response.json()) as { error: Record<string, unknown> },
  };
}
const postJson = (body: string, contentType = "application/json") =>
  call("/v1/responses", { method: "POST", headers: { "content-type": contentType }, body });

function expectEnvelope(
  result: { status: number; body: { error: Record<string, unknown> } },
  status: number,
  param: string | null,
): void {
  expect(result.status).toBe(status);
  expect(Object.keys(result.body)).toEqual(["error"]);
  expect(Object.keys(result.body.error).sort()).toEqual(["code", "message", "param", "type"]);
  expect(typeof result.body.error.message).toBe("string");
  expect(result.body.error.type).toBe("invalid_request_error");
  expect(result.body.error.param).toBe(param);
}

describe("malformed requests get 4xx in OpenAI's envelope", () => {
  it.each([
    ["bad JSON", "{not json", null],
    ["a JSON array", "[1,2]", null],
    ["missing model", JSON.stringify({ input: "x" }), "model"],
    ["missing input", JSON.stringify({ model: "m" }), "input"],
    [
      "a __proto__ metadata key",
      '{"model":"m","input":"x","metadata":{"__proto__":"x","k":"v"}}',
      "metadata",
    ],
    ["wrong type for model", JSON.stringify({ model: 5, input: "x" }), "model"],
    [
      "wrong type for temperature",
      JSON.stringify({ model: "m", input: "x", temperature: "hot" }),
      "temperature",
    ],
    [
      "temperature out of range",
      JSON.stringify({ model: "m", input: "x", temperature: 3 }),
      "temperature",
    ],
    [
      "unknown parameter",
      JSON.stringify({ model: "m", input: "x", frobnicate: true }),
      "frobnicate",
    ],
    [
      "unknown nested parameter",
      JSON.stringify({ model: "m", input: [{ role: "user", content: "x", colour: "red" }] }),
      "input[0].colour",
    ],
    [
      "bad role",
      JSON.stringify({ model: "m", input: [{ role: "robot", content: "x" }] }),
      "input[0].role",
    ],
    [
      "bad item type",
      JSON.stringify({ model: "m", input: [{ type: "teleport" }] }),
      "input[0].type",
    ],
    [
      "unsupported tool type",
      JSON.stringify({ model: "m", input: "x", tools: [{ type: "web_search" }] }),
      "tools[0].type",
    ],
    [
      "function tool without name",
      JSON.stringify({ model: "m", input: "x", tools: [{ type: "function" }] }),
      "tools[0].name",
    ],
    [
      "too much metadata",
      JSON.stringify({
        model: "m",
        input: "x",
        metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])),
      }),
      "metadata",
    ],
    [
      "tool_choice naming an absent function",
      JSON.stringify({ model: "m", input: "x", tool_choice: { type: "function", name: "nope" } }),
      "tool_choice",
    ],
    [
      "background with store:false",
      JSON.stringify({ model: "m", input: "x", background: true, store: false }),
      "background",
    ],
    [
      "unknown previous_response_id",
      JSON.stringify({ model: "m", input: "x", previous_response_id: "resp_missing" }),
      "previous_response_id",
    ],
  ])("%s", async (_name, body, param) => {
    const result = await postJson(body);
    expectEnvelope(result, param === "previous_response_id" ? 404 : 400, param);
  });

  it("reports a missing union field as missing", async () => {
    const result = await postJson(JSON.stringify({ model: "m" }));
    expect(result.body.error).toMatchObject({ param: "input", code: "missing_required_parameter" });
  });

  it("names the unknown parameter in the message", async () => {
    const result = await postJson(JSON.stringify({ model: "m", input: "x", frobnicate: true }));
    expect(result.body.error.message).toContain("frobnicate");
    expect(result.body.error.code).toBe("unknown_parameter");
  });

  it("rejects a non-JSON content type", async () => {
    expectEnvelope(await postJson("model=m", "application/x-www-form-urlencoded"), 400, null);
  });

  it("answers 413 for a body over the limit, naming the setting that sets it", async () => {
    const result = await postJson(
      JSON.stringify({ model: "m", input: "x".repeat(11 * 1024 * 1024) }),
    );
    expectEnvelope(result, 413, null);
    expect(result.body.error.message).toContain("server.max_body_bytes");
  });

  it("reports a misspelt required field as missing and as unknown", async () => {
    const result = await postJson(JSON.stringify({ model: "m", inptu: "x" }));
    expectEnvelope(result, 400, "input");
    expect(result.body.error.code).toBe("missing_required_parameter");
    expect(result.body.error.message).toContain("'inptu'");
  });

  it.each([
    ["GET", "/v1/responses/resp_nope", "response_id"],
    ["DELETE", "/v1/responses/resp_nope", "response_id"],
    ["GET", "/v1/responses/resp_nope/input_items", "response_id"],
    ["POST", "/v1/responses/resp_nope/cancel", "response_id"],
  ])("%s %s → 404", async (method, path, param) => {
    const result = await call(path, { method });
    expectEnvelope(result, 404, param);
    expect(result.body.error.message).toBe("Response with id 'resp_nope' not found.");
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=abc", "limit"],
    ["order=sideways", "order"],
    ["limit=0x10", "limit"],
    ["limit=1e1", "limit"],
  ])("input_items ?%s → 400", async (query, param) => {
    model.enqueue({ text: "ok" });
    const created = await fetch(`${patchbay.baseURL}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: "x" }),
    });
    const { id } = (await created.json()) as { id: string };
    expectEnvelope(await call(`/v1/responses/${id}/input_items?${query}`), 400, param);
  });

  it("unknown routes are 404 in the envelope", async () => {
    expectEnvelope(await call("/v1/nothing-here"), 404, null);
  });

  it.each([
    "/v1/connectors",
    "/v1/connectors/c/tools",
    "/v1/responses/resp_x/input_items",
    "/v1beta/connectors",
    "/v1beta/connectors/c/tools",
    "/v1/admin/connectors",
    "/v1/admin/mcp_registries",
  ])("GET %s with a malformed percent-encoded after → 400 naming after", async (path) => {
    const result = await call(`${path}?limit=5&after=%E0%A4%A`);
    expectEnvelope(result, 400, "after");
    expect(result.body.error.message).toContain("percent-encoding");
  });

  it.each([
    ["/v1/responses/%E0%A4%A", "response_id"],
    ["/v1/responses/%E0%A4%A/input_items", "response_id"],
    ["/v1/connectors/%E0%A4%A", "connector_id"],
    ["/v1/admin/mcp_registries/%E0%A4%A/status", "registry_id"],
  ])("GET %s (malformed percent-encoding) → 400 naming %s", async (path, param) => {
    expectEnvelope(await call(path), 400, param);
  });

  it.each([
    ["PUT", "/v1/responses", "GET, HEAD, POST"],
    ["PUT", "/v1/conversations", "POST"],
    ["PATCH", "/v1/conversations/conv_x/items/msg_x", "DELETE, GET, HEAD"],
    ["DELETE", "/v1/connectors", "GET, HEAD"],
    ["PATCH", "/v1/responses/resp_x", "DELETE, GET, HEAD"],
    ["PUT", "/v1/admin/connectors/c", "DELETE, GET, HEAD, PATCH"],
  ])("%s %s → 405 with Allow: %s", async (method, path, allow) => {
    const response = await fetch(`${patchbay.url}${path}`, { method });
    expect(response.headers.get("allow")).toBe(allow);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expectEnvelope({ status: response.status, body }, 405, null);
    expect(body.error.code).toBe("method_not_allowed");
  });

  it.each([
    ["/v1/connectors/mcp::r::io.github.x/y", "/v1/connectors/mcp%3A%3Ar%3A%3Aio.github.x%2Fy"],
    [
      "/v1beta/connectors/mcp::r::io.github.x/y/tools",
      "/v1beta/connectors/mcp%3A%3Ar%3A%3Aio.github.x%2Fy/tools",
    ],
  ])("GET %s (an unencoded registry id) → 404 saying how to encode it", async (path, encoded) => {
    const result = await call(path);
    expectEnvelope(result, 404, null);
    expect(result.body.error.message).toContain("percent-encoded");
    expect(result.body.error.message).toContain(encoded);
  });

  it("made no model request for any rejected body", () => {
    expect(model.requests.every((request) => request.body.model === "m")).toBe(true);
    expect(model.requests).toHaveLength(6);
  });
});
