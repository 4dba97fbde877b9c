import type OpenAI from "openai";
import { APIError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectWellFormedStream, readSse } from "../support/collect-events.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

let model: ScriptedModel;
let patchbay: TestPatchbay;
let client: OpenAI;

beforeAll(async () => {
  model = await startScriptedModel();
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      for (const provider of config.inference) provider.timeoutMs = 400;
    },
  });
  client = patchbay.client;
});
afterAll(async () => {
  await patchbay.close();
  await model.close();
});

const post = (body: Record<string, unknown>) =>
  fetch(`${patchbay.baseURL}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe.each([false, true])("upstream faults (stream: %s)", (stream) => {
  it("maps an upstream 500 to 502 server_error before any header", async () => {
    model.enqueue({ error: { status: 500, body: { error: { message: "GPU on fire" } } } });
    const response = await post({ model: "m", input: "x", stream });
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toMatchObject({
      error: { type: "server_error", code: "server_error", param: null },
    });
  });

  it("passes an upstream 429 on as rate_limit_exceeded with Retry-After", async () => {
    model.enqueue({
      error: {
        status: 429,
        body: { error: { message: "slow down" } },
        headers: { "retry-after": "7" },
      },
    });
    const response = await post({ model: "m", input: "x", stream });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(await response.json()).toEqual({
      error: {
        type: "rate_limit_error",
        code: "rate_limit_exceeded",
        param: null,
        message: "slow down",
      },
    });
  });

  it("maps an upstream 400 to 400 with upstream's message", async () => {
    model.enqueue({
      error: { status: 400, body: { error: { message: "context length exceeded" } } },
    });
    const response = await post({ model: "m", input: "x", stream });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { type: "invalid_request_error", message: "context length exceeded" },
    });
  });

  it("answers 504 when the model sends no first byte within timeout_ms", async () => {
    model.enqueue({ hang: true });
    const response = await post({ model: "m", input: "x", stream });
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ error: { type: "server_error" } });
  });
});

describe("faults after the stream started", () => {
  it("ends a dropped upstream stream with response.failed and stores the failure", async () => {
    model.enqueue({ dropAfterChunks: 3, text: "abcdef", chunks: 6 });
    const response = await post({ model: "m", input: "x", stream: true });
    expect(response.status).toBe(200);
    const events = (await readSse(response)).map((frame) => frame.data);
    expectWellFormedStream(events);
    const failed = events.at(-1)!;
    expect(failed.type).toBe("response.failed");
    const failedResponse = failed.response as {
      id: string;
      status: string;
      error: { code: string; message: string };
    };
    expect(failedResponse.status).toBe("failed");
    expect(failedResponse.error.code).toBe("server_error");
    expect(events.some((event) => event.type === "response.output_text.delta")).toBe(true);
    const stored = await client.responses.retrieve(failedResponse.id);
    expect(stored.status).toBe("failed");
  });

  it("a dropped stream without stream:true is a 502", async () => {
    model.enqueue({ dropAfterChunks: 2, text: "abcd", chunks: 4 });
    const response = await post({ model: "m", input: "x" });
    expect(response.status).toBe(502);
  });

  it("a stream that stalls past timeout_ms ends with response.failed", async () => {
    model.enqueue({ stallAfterChunks: 2, text: "abcd", chunks: 4 });
    const response = await post({ model: "m", input: "x", stream: true });
    const events = (await readSse(response)).map((frame) => frame.data);
    expectWellFormedStream(events);
    expect(events.at(-1)?.type).toBe("response.failed");
  });

  it("aborts the upstream request when the client disconnects mid-stream", async () => {
    const abortedBefore = model.aborted;
    model.enqueue({ stallAfterChunks: 2, text: "abcd", chunks: 4 });
    const controller = new AbortController();
    const response = await fetch(`${patchbay.baseURL}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: "x", stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await model.waitForAbort(abortedBefore + 1);
    expect(model.aborted).toBe(abortedBefore + 1);
  });

  it("aborts the upstream request when a JSON client disconnects", async () => {
    const abortedBefore = model.aborted;
    const requestsBefore = model.requests.length;
    model.enqueue({ hang: true });
    const controller = new AbortController();
    const pending = fetch(`${patchbay.baseURL}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: "x" }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await model.waitForRequests(requestsBefore + 1);
    controller.abort();
    await pending;
    await model.waitForAbort(abortedBefore + 1);
  });

  it("the openai client surfaces an upstream failure as APIError", async () => {
    model.enqueue({ error: { status: 503, body: "overloaded" } });
    const error = await client.responses
      .create({ model: "m", input: "x" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 502, error: { type: "server_error" } });
  });
});

describe("upstream credential faults", () => {
  it("maps an upstream 401 to 502 (a server misconfiguration, not the caller's fault)", async () => {
    model.enqueue({ error: { status: 401, body: { error: { message: "bad key" } } } });
    const response = await post({ model: "m", input: "x" });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      error: { type: "server_error", code: "server_error" },
    });
  });
});
