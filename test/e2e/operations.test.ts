/**
 * Operating Patchbay (PRODUCT.md §7): API-key access with open health, readiness and metrics
 * routes, request ids echoed and logged, and Prometheus counters for requests and the model.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminAndUserKeys } from "../support/config-entries.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

let model: ScriptedModel;
let patchbay: TestPatchbay;

beforeAll(async () => {
  model = await startScriptedModel();
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.server.apiKeys = adminAndUserKeys("sk-admin-123", "sk-user-456");
    },
  });
});
afterAll(async () => {
  await patchbay.close();
  await model.close();
});

describe("access", () => {
  it("rejects a missing or wrong key with 401 in the envelope", async () => {
    const missing = await fetch(`${patchbay.baseURL}/responses/resp_x`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      error: { type: "invalid_request_error", code: "invalid_api_key" },
    });
    const wrong = new OpenAI({ baseURL: patchbay.baseURL, apiKey: "sk-wrong", maxRetries: 0 });
    await expect(wrong.responses.retrieve("resp_x")).rejects.toMatchObject({ status: 401 });
  });

  it("serves a user key", async () => {
    model.enqueue({ text: "hi user" });
    const user = new OpenAI({ baseURL: patchbay.baseURL, apiKey: "sk-user-456", maxRetries: 0 });
    const response = await user.responses.create({ model: "m", input: "x" });
    expect(response.output_text).toBe("hi user");
  });

  it("leaves /health, /ready and /metrics open", async () => {
    expect((await fetch(`${patchbay.url}/health`)).status).toBe(200);
    const ready = await fetch(`${patchbay.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
    expect((await fetch(`${patchbay.url}/metrics`)).status).toBe(200);
  });
});

describe("operations", () => {
  it("echoes X-Request-Id and logs every line of the request with it", async () => {
    const response = await fetch(`${patchbay.baseURL}/responses/resp_missing`, {
      headers: { authorization: "Bearer sk-admin-123", "x-request-id": "req-abc-123" },
    });
    expect(response.headers.get("x-request-id")).toBe("req-abc-123");
    const lines = patchbay.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.request_id === "req-abc-123");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.some((line) => line.msg === "request" && line.status === 404)).toBe(true);
  });

  it("returns the request id on streamed responses too", async () => {
    model.enqueue({ text: "streamed" });
    const response = await fetch(`${patchbay.baseURL}/responses`, {
      method: "POST",
      headers: {
        authorization: "Bearer sk-admin-123",
        "content-type": "application/json",
        "x-request-id": "req-sse-9",
      },
      body: JSON.stringify({ model: "m", input: "x", stream: true }),
    });
    expect(response.headers.get("x-request-id")).toBe("req-sse-9");
    await response.text();
  });

  it("generates a request id when none is given", async () => {
    const response = await fetch(`${patchbay.url}/health`);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("exports request counts by route and status, and model latency", async () => {
    model.enqueue({ text: "metrics" });
    const client = new OpenAI({ baseURL: patchbay.baseURL, apiKey: "sk-admin-123", maxRetries: 0 });
    await client.responses.create({ model: "m", input: "x" });
    model.enqueue({ error: { status: 500 } });
    await expect(client.responses.create({ model: "m", input: "x" })).rejects.toMatchObject({
      status: 502,
    });
    const text = await (await fetch(`${patchbay.url}/metrics`)).text();
    expect(text).toMatch(
      /patchbay_http_requests_total\{method="POST",route="\/v1\/responses",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /patchbay_http_requests_total\{method="POST",route="\/v1\/responses",status="502"\} [1-9]/,
    );
    expect(text).toMatch(
      /patchbay_model_request_duration_seconds_count\{provider="[^"]+",outcome="ok"\} [1-9]/,
    );
    expect(text).toMatch(/patchbay_model_errors_total\{provider="[^"]+",kind="http_500"\} [1-9]/);
    expect(text).toContain("patchbay_http_request_duration_seconds_bucket");
  });
});
