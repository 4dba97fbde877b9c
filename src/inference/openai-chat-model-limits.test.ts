/**
 * Every byte read from a model server is bounded (issue 11 §2, PRODUCT.md §9.1): a JSON body or
 * an SSE event that never ends fails the turn at its limit (502-class protocol error naming the
 * limit) and drops the connection; an event dripped a byte at a time stalls at the timeout; an
 * endless error body is read only as far as its message needs.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { ChatRequest } from "./chat-model.js";
import { OpenAIChatModel } from "./openai-chat-model.js";
import {
  collectChatEvents,
  collectUpstreamFailure,
  textDeltas,
} from "../../test/support/collect-chat-events.js";
import { listenOnLoopback } from "../../test/support/listen-on-loopback.js";
import { writeForever } from "../../test/support/send-fixture-response.js";

const request: ChatRequest = { model: "m", messages: [{ role: "user", content: "Hi" }] };
const limits = { maxResponseBytes: 64 * 1024, maxEventBytes: 16 * 1024 };
const CHUNK = Buffer.alloc(16 * 1024, "a");

type Answer = (response: ServerResponse) => Promise<void>;

let server: Server | undefined;
/** Responses still open on the server side (a dropped exchange closes its own). */
let open = 0;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function startModel(answer: Answer): Promise<string> {
  server = createServer((incoming, response) => {
    open += 1;
    response.on("close", () => (open -= 1));
    incoming.resume();
    answer(response).catch(() => response.destroy());
  });
  return `http://127.0.0.1:${await listenOnLoopback(server)}/v1`;
}

const chunk = (content: string) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;

function model(baseUrl: string, timeoutMs = 10_000): OpenAIChatModel {
  return new OpenAIChatModel({ baseUrl, timeoutMs, limits });
}

async function waitForClose(): Promise<void> {
  while (open > 0) await new Promise((resolve) => setImmediate(resolve));
}

describe("OpenAIChatModel against hostile model servers", () => {
  it("fails a JSON body that never ends at max_response_bytes and drops it", async () => {
    const url = await startModel(async (response) => {
      response.writeHead(200, { "content-type": "application/json" });
      await writeForever(response, '{"choices":[{"message":{"content":"', CHUNK);
    });
    const error = await collectUpstreamFailure(
      model(url).stream(request, new AbortController().signal),
    );
    expect(error).toMatchObject({
      kind: "protocol",
      message: `Model server response is larger than server.inference.max_response_bytes (${limits.maxResponseBytes} bytes).`,
    });
    await waitForClose();
  });

  it("fails a JSON body whose content-length is over the limit without reading it", async () => {
    const url = await startModel((response) => {
      response.writeHead(200, {
        "content-type": "application/json",
        "content-length": String(limits.maxResponseBytes + 1),
      });
      response.write("{");
      return Promise.resolve();
    });
    const error = await collectUpstreamFailure(
      model(url).stream(request, new AbortController().signal),
    );
    expect(error.message).toContain("server.inference.max_response_bytes");
    await waitForClose();
  });

  it("fails one SSE event that never ends at max_event_bytes, whatever came before it", async () => {
    const url = await startModel(async (response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(chunk("Hello"));
      await writeForever(response, 'data: {"choices":[{"index":0,"delta":{"content":"', CHUNK);
    });
    const error = await collectUpstreamFailure(
      model(url).stream(request, new AbortController().signal),
    );
    expect(error).toMatchObject({
      kind: "protocol",
      message: `Model server sent an SSE event larger than server.inference.max_event_bytes (${limits.maxEventBytes} bytes).`,
    });
    await waitForClose();
  });

  it("stalls an event dripped a byte at a time at the timeout, though bytes keep coming", async () => {
    const url = await startModel(async (response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write('data: {"choices":[');
      while (!response.destroyed) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        response.write(" ");
      }
    });
    const started = performance.now();
    const error = await collectUpstreamFailure(
      model(url, 300).stream(request, new AbortController().signal),
    );
    expect(error).toMatchObject({
      kind: "timeout",
      message: "Model server stream stalled for 300 ms.",
    });
    expect(performance.now() - started).toBeLessThan(3_000);
    await waitForClose();
  });

  it("lets keep-alive comments hold a slow stream open, each within the timeout", async () => {
    const url = await startModel(async (response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      for (let ping = 0; ping < 6; ping += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        response.write(": keep-alive\n\n");
      }
      response.end(`${chunk("late but fine")}data: [DONE]\n\n`);
    });
    const events = await collectChatEvents(
      model(url, 300).stream(request, new AbortController().signal),
    );
    expect(textDeltas(events)).toEqual(["late but fine"]);
  });

  it("reads an endless error body only as far as its message needs", async () => {
    const url = await startModel(async (response) => {
      response.writeHead(500, { "content-type": "text/plain" });
      await writeForever(response, "upstream exploded: ", CHUNK);
    });
    const error = await collectUpstreamFailure(
      model(url).stream(request, new AbortController().signal),
    );
    expect(error).toMatchObject({ kind: "http", status: 500 });
    expect(error.message.startsWith("upstream exploded: aaa")).toBe(true);
    expect(error.message.length).toBeLessThan(600);
    await waitForClose();
  });
});
