import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatEvent, ChatRequest } from "./chat-model.js";
import { OpenAIChatModel } from "./openai-chat-model.js";
import { UpstreamModelError } from "../errors/upstream-model-error.js";
import {
  collectChatEvents,
  collectUpstreamFailure,
  textDeltas,
} from "../../test/support/collect-chat-events.js";
import { closedPort } from "../../test/support/listen-on-loopback.js";
import {
  startScriptedModel,
  type ScriptedModel,
} from "../../test/support/scripted-model-server.js";

const request: ChatRequest = { model: "llama3", messages: [{ role: "user", content: "Hi" }] };

let upstream: ScriptedModel;
beforeEach(async () => {
  upstream = await startScriptedModel();
});
afterEach(async () => {
  await upstream.close();
});

function chatModel(timeoutMs = 5_000, baseUrl = upstream.url): OpenAIChatModel {
  return new OpenAIChatModel({ baseUrl, apiKey: "sk-test", timeoutMs });
}

describe("OpenAIChatModel failures", () => {
  it("turns a 500 into an http error keeping the upstream message", async () => {
    upstream.enqueue({
      error: { status: 500, body: { error: { message: "CUDA out of memory" } } },
    });
    const error = await collectUpstreamFailure(
      chatModel().stream(request, new AbortController().signal),
    );

    expect(error).toMatchObject({ kind: "http", status: 500, isRetryable: true });
    expect(error.message).toContain("CUDA out of memory");
  });

  it("passes a 429's Retry-After on", async () => {
    upstream.enqueue({
      error: {
        status: 429,
        headers: { "retry-after": "7" },
        body: { error: { message: "slow down" } },
      },
    });
    const error = await collectUpstreamFailure(
      chatModel().stream(request, new AbortController().signal),
    );

    expect(error).toMatchObject({
      kind: "http",
      status: 429,
      retryAfter: "7",
      message: "slow down",
    });
  });

  it("keeps a 400's message, from OpenAI-shaped JSON or from plain text", async () => {
    upstream.enqueue([
      {
        error: {
          status: 400,
          body: { object: "error", message: "max_tokens is too large", code: 400 },
        },
      },
      { error: { status: 400, body: "x".repeat(2_000) } },
    ]);
    const fromJson = await collectUpstreamFailure(
      chatModel().stream(request, new AbortController().signal),
    );
    const fromText = await collectUpstreamFailure(
      chatModel().stream(request, new AbortController().signal),
    );

    expect(fromJson).toMatchObject({
      kind: "http",
      status: 400,
      message: "max_tokens is too large",
    });
    expect(fromText).toMatchObject({ kind: "http", status: 400, retryAfter: null });
    expect(fromText.message.length).toBeLessThan(600);
  });

  it("times out when no response arrives within timeoutMs, and hangs up on the upstream", async () => {
    upstream.enqueue({ hang: true });
    const error = await collectUpstreamFailure(
      chatModel(200).stream(request, new AbortController().signal),
    );

    expect(error).toMatchObject({ kind: "timeout", status: null });
    await upstream.waitForAbort();
  });

  it("times out when the stream stalls mid-way", async () => {
    upstream.enqueue({ stallAfterChunks: 2, text: "Hello world" });
    const error = await collectUpstreamFailure(
      chatModel(200).stream(request, new AbortController().signal),
    );

    expect(error.kind).toBe("timeout");
    await upstream.waitForAbort();
  });

  it("does not count time the caller spends holding an event as an upstream stall", async () => {
    upstream.enqueue({ text: "slow reader", chunks: 3 });
    const events = chatModel(100).stream(request, new AbortController().signal);
    const iterator = events[Symbol.asyncIterator]();
    const first = await iterator.next();
    await new Promise<void>((resolve) => setTimeout(resolve, 300));
    const rest = await collectChatEvents({ [Symbol.asyncIterator]: () => iterator });

    expect(first.value).toMatchObject({ type: "text" });
    expect(rest.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
  });

  it("reports a stream dropped before [DONE] as a protocol error", async () => {
    upstream.enqueue({ dropAfterChunks: 2, text: "Hello world" });
    const seen: ChatEvent[] = [];
    const error = await collectUpstreamFailure(
      (async function* () {
        for await (const event of chatModel().stream(request, new AbortController().signal)) {
          seen.push(event);
          yield event;
        }
      })(),
    );

    expect(error.kind).toBe("protocol");
    expect(textDeltas(seen).length).toBeGreaterThan(0);
  });

  it("reports a stream that ends cleanly without [DONE] or finish_reason as a protocol error", async () => {
    upstream.enqueue({ sse: [{ choices: [{ index: 0, delta: { content: "Hel" } }] }] });
    const error = await collectUpstreamFailure(
      chatModel().stream(request, new AbortController().signal),
    );

    expect(error.kind).toBe("protocol");
    expect(error.message).toMatch(/ended unexpectedly/);
  });

  it("reports an invalid JSON chunk as a protocol error", async () => {
    upstream.enqueue({ sse: ["{not json", "[DONE]"] });
    const error = await collectUpstreamFailure(
      chatModel().stream(request, new AbortController().signal),
    );

    expect(error.kind).toBe("protocol");
  });

  it("reports a refused connection as a connection error", async () => {
    const model = chatModel(5_000, `http://127.0.0.1:${await closedPort()}/v1`);
    const error = await collectUpstreamFailure(model.stream(request, new AbortController().signal));

    expect(error).toMatchObject({ kind: "connection", status: null, isRetryable: true });
  });
});

describe("OpenAIChatModel cancellation", () => {
  it("aborts the upstream request when the caller aborts, and rejects with the abort reason", async () => {
    upstream.enqueue({ hang: true });
    const caller = new AbortController();
    const outcome = collectChatEvents(chatModel().stream(request, caller.signal)).then(
      () => null,
      (reason: unknown) => reason,
    );
    await upstream.waitForRequests(1);
    caller.abort();

    const error = await outcome;
    expect(error).not.toBeInstanceOf(UpstreamModelError);
    expect(error).toMatchObject({ name: "AbortError" });
    await upstream.waitForAbort();
  });

  it("stops mid-stream when the caller aborts between events", async () => {
    upstream.enqueue({ stallAfterChunks: 3, text: "abcdef" });
    const caller = new AbortController();
    const reason = new Error("client went away");
    const outcome = collectChatEvents(chatModel().stream(request, caller.signal), () =>
      caller.abort(reason),
    );

    await expect(outcome).rejects.toBe(reason);
    await upstream.waitForAbort();
  });

  it("leaves no listener on the caller's signal after many turns", async () => {
    const caller = new AbortController();
    const model = chatModel();
    upstream.enqueue(Array.from({ length: 15 }, () => ({ text: "ok" })));
    upstream.enqueue({ error: { status: 503 } });
    for (let turn = 0; turn < 15; turn += 1)
      await collectChatEvents(model.stream(request, caller.signal));
    await collectUpstreamFailure(model.stream(request, caller.signal));

    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
  });
});
