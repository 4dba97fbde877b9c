import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RegistryError } from "../errors/registry-error.js";
import { HttpRegistryClient, type HttpRegistryClientOptions } from "./http-registry-client.js";
import type { Sleep } from "./fetch-with-retry.js";
import {
  startRegistryFixture,
  type RegistryFixture,
} from "../../test/support/registry-fixture-server.js";

const signal = new AbortController().signal;
const page = { limit: 100 };

let fixture: RegistryFixture;
let sleeps: number[];
beforeEach(async () => {
  fixture = await startRegistryFixture();
  sleeps = [];
});
afterEach(async () => {
  await fixture.close();
});

/** Retry pauses are recorded and skipped: the tests observe backoff without waiting for it. */
function client(options: Partial<HttpRegistryClientOptions> = {}): HttpRegistryClient {
  return new HttpRegistryClient({
    baseUrl: fixture.url,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await rejection(promise);
  if (!(error instanceof RegistryError)) throw error;
  return error;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error("expected a failure"),
    (reason: unknown) => reason,
  );
}

describe("HttpRegistryClient HTTP errors", () => {
  it("surfaces a 422 for an out-of-range limit with the validation detail, without retrying", async () => {
    const error = await failure(client().listPage({ limit: 0 }, signal));

    expect(error).toMatchObject({ kind: "http", status: 422 });
    expect(error.message).toContain("validation failed (query.limit: expected number >= 1)");
    expect(fixture.requests).toHaveLength(1);
  });

  it.each(["problem", "legacy"] as const)(
    "reads the registry's message from a %s error body",
    async (shape) => {
      fixture.errorShape = shape;

      const error = await failure(
        client().listPage({ limit: 10, updatedSince: "yesterday" }, signal),
      );

      expect(error).toMatchObject({ kind: "http", status: 400 });
      expect(error.message).toContain("Invalid updated_since format: expected RFC3339 timestamp");
    },
  );

  it("keeps the bare status when the error body is neither shape", async () => {
    fixture.failNext(1, { status: 403, body: "<html>Forbidden</html>" });

    const error = await failure(client().listPage(page, signal));

    expect(error).toMatchObject({ kind: "http", status: 403 });
    expect(error.message).toBe("MCP registry list servers failed with HTTP 403 Forbidden.");
  });

  it("reports garbage JSON and a body that is not a server list as protocol errors, not retried", async () => {
    fixture.failNext(1, { status: 200, body: "{not json" });
    fixture.failNext(1, { status: 200, body: { items: [] } });

    const garbage = await failure(client().listPage(page, signal));
    const wrongEnvelope = await failure(client().listPage(page, signal));

    expect(garbage).toMatchObject({ kind: "protocol", status: null });
    expect(wrongEnvelope).toMatchObject({ kind: "protocol", status: null });
    expect(fixture.requests).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });
});

describe("HttpRegistryClient retries", () => {
  it("waits as long as a 429's Retry-After asks, then succeeds", async () => {
    fixture.failNext(1, { status: 429, headers: { "retry-after": "2" } });

    const result = await client().listPage(page, signal);

    expect(result.entries).toHaveLength(100);
    expect(sleeps).toEqual([2_000]);
    expect(fixture.requests).toHaveLength(2);
  });

  it("reads Retry-After as an HTTP date and caps a long one at 30 s", async () => {
    const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString();
    fixture.failNext(1, { status: 503, headers: { "retry-after": inFiveSeconds } });
    fixture.failNext(1, { status: 429, headers: { "retry-after": "3600" } });

    await client().listPage(page, signal);

    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThan(3_000);
    expect(sleeps[0]).toBeLessThanOrEqual(5_000);
    expect(sleeps[1]).toBe(30_000);
  });

  it("backs off exponentially with jitter on 500s, then gives up with the last status", async () => {
    fixture.failNext(4, {
      status: 500,
      body: { title: "Internal Server Error", status: 500, detail: "Failed to get registry list" },
    });

    const error = await failure(client({ maxRetries: 3 }).listPage(page, signal));

    expect(error).toMatchObject({ kind: "http", status: 500 });
    expect(error.message).toContain("Failed to get registry list");
    expect(fixture.requests).toHaveLength(4);
    expect(sleeps).toEqual([250, 500, 1_000]);
  });

  it("does not retry other 4xx", async () => {
    fixture.failNext(1, { status: 401 });

    const error = await failure(client().listPage(page, signal));

    expect(error).toMatchObject({ kind: "http", status: 401 });
    expect(fixture.requests).toHaveLength(1);
  });
});

describe("HttpRegistryClient transport failures", () => {
  it("times out a registry that never answers, and retries the timeout", async () => {
    fixture.failNext(1, { hang: true });

    const recovered = await client({ timeoutMs: 200, maxRetries: 1 }).listPage(page, signal);
    fixture.failNext(1, { hang: true });
    const error = await failure(client({ timeoutMs: 200, maxRetries: 0 }).listPage(page, signal));

    expect(recovered.entries).toHaveLength(100);
    expect(error).toMatchObject({ kind: "timeout", status: null });
    expect(error.message).toContain("200 ms");
  });

  it("reports a refused connection after its retries, and works once the registry is back", async () => {
    await fixture.down();

    const error = await failure(client({ maxRetries: 2 }).listPage(page, signal));
    await fixture.up();
    const result = await client().listPage(page, signal);

    expect(error).toMatchObject({ kind: "connection", status: null });
    expect(error.message).toContain("ECONNREFUSED");
    expect(sleeps).toHaveLength(2);
    expect(result.entries).toHaveLength(100);
  });

  it("refuses a body over the limit by content-length and, when chunked, by counting", async () => {
    const declared = await failure(client({ maxBodyBytes: 1_024 }).listPage(page, signal));
    fixture.failNext(1, {
      status: 200,
      body: { servers: [], padding: "x".repeat(5_000) },
      chunked: true,
    });
    const counted = await failure(client({ maxBodyBytes: 1_024 }).listPage(page, signal));

    expect(declared).toMatchObject({ kind: "too_large" });
    expect(counted).toMatchObject({ kind: "too_large" });
    expect(fixture.requests[1]?.query).toEqual({ limit: "100" });
    expect(fixture.requests).toHaveLength(2);
  });
});

describe("HttpRegistryClient cancellation", () => {
  it("rethrows the caller's abort reason when aborted during the backoff pause", async () => {
    fixture.failNext(1, { status: 503 });
    const controller = new AbortController();
    const reason = new Error("client went away");
    const sleep: Sleep = (_ms, pauseSignal) =>
      new Promise((_resolve, reject) => {
        pauseSignal.addEventListener("abort", () => reject(new Error("sleep aborted")), {
          once: true,
        });
        controller.abort(reason);
      });

    const error = await rejection(client({ sleep }).listPage(page, controller.signal));

    expect(error).toBe(reason);
    expect(fixture.requests).toHaveLength(1);
  });

  it("rethrows the abort reason while a request is in flight, and sends nothing once aborted", async () => {
    fixture.failNext(1, { hang: true });
    const controller = new AbortController();
    const reason = new Error("client went away");

    const pending = rejection(client().getVersion("io.test/x", "latest", controller.signal));
    await fixture.waitForRequests(1);
    controller.abort(reason);
    const inFlight = await pending;
    const before = await rejection(client().listPage(page, controller.signal));

    expect(inFlight).toBe(reason);
    expect(before).toBe(reason);
    expect(fixture.requests).toHaveLength(1);
  });
});
