/**
 * Hand-picked hostile requests (issue 7 "Hostile input", PRODUCT.md §3, §7) against a Patchbay with
 * the default 10 MiB body limit: oversized and almost-oversized bodies, 100,000-level nesting,
 * invalid UTF-8, wrong content types, control characters in headers, percent-encoding tricks in
 * ids, odd methods and query strings. Whatever Patchbay itself answers is a 2xx or a 4xx envelope;
 * requests Node's HTTP parser refuses before Patchbay sees them get a 4xx with an empty body.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../support/listen-on-loopback.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { expectCreateAnswer } from "./expect-create-answer.js";
import { closeWithinDeadline, expectOperationsAnswer, startFuzzTarget } from "./fuzz-patchbay.js";
import {
  expectEnvelope,
  expectNoServerError,
  send,
  type ErrorBody,
  type HttpAnswer,
} from "./http-answer.js";
import { sendOnOneConnection, sendRaw, type RawRequest } from "./raw-http.js";

const MIB = 1024 * 1024;
const DEFAULT_LIMIT = 10 * MIB;

let model: ScriptedModel;
let patchbay: TestPatchbay;
let port: number;
let responseId: string;

beforeAll(async () => {
  model = await startScriptedModel({ fallback: { text: "ok" }, record: false });
  patchbay = await startPatchbay({ modelUrl: model.url });
  port = Number(new URL(patchbay.url).port);
  const created = await postJson(JSON.stringify({ model: "m", input: "Remember this." }));
  responseId = (JSON.parse(created.text) as { id: string }).id;
});
afterAll(async () => {
  try {
    await closeWithinDeadline(patchbay);
  } finally {
    await model.close();
  }
});

function postJson(
  body: string | Uint8Array,
  headers: Record<string, string> = { "content-type": "application/json" },
): Promise<HttpAnswer> {
  return send(`${patchbay.url}/v1/responses`, { method: "POST", headers, body });
}

function expectClientError(answer: HttpAnswer, status: number, param?: string | null): ErrorBody {
  const error = expectEnvelope(answer);
  expect(answer.status, answer.text).toBe(status);
  if (param !== undefined) expect(error.param).toBe(param);
  return error;
}

/** A refusal by Node's HTTP parser (before Patchbay): a 4xx, and no body that is not an envelope. */
function expectRefused(answer: HttpAnswer): void {
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  if (answer.text !== "") expectEnvelope(answer);
}

function raw(request: RawRequest | Buffer): Promise<HttpAnswer> {
  return sendRaw(port, request);
}

const nestedArrays = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

/**
 * Oversized bodies go over their own connections (raw sockets with `Connection: close`), so a
 * connection left unusable by an early 413 cannot fail the requests of other tests: the last test
 * here checks that case on its own.
 */
describe("body size", () => {
  const jsonPost = (body: Buffer, headers: Array<[string, string]> = []): RawRequest => ({
    method: "POST",
    target: "/v1/responses",
    headers: [["Content-Type", "application/json"], ...headers],
    body,
  });
  const oversized = () => {
    const prefix = '{"model":"m","input":"';
    const body = Buffer.from(`${prefix}${"x".repeat(DEFAULT_LIMIT - prefix.length - 1)}"}`);
    expect(body.length).toBe(DEFAULT_LIMIT + 1);
    return body;
  };

  it("answers a body one byte over 10 MiB with 413 in the envelope", async () => {
    const error = expectClientError(await raw(jsonPost(oversized())), 413, null);
    expect(error.code).toBe("request_too_large");
  });

  it("answers a chunked upload (no Content-Length) past 10 MiB with 413", async () => {
    const chunk = Buffer.alloc(MIB, 0x20);
    const size = chunk.length.toString(16);
    const body = Buffer.concat([
      ...Array.from({ length: 12 }, () =>
        Buffer.concat([Buffer.from(`${size}\r\n`), chunk, Buffer.from("\r\n")]),
      ),
      Buffer.from("0\r\n\r\n"),
    ]);
    const answer = await raw(jsonPost(body, [["Transfer-Encoding", "chunked"]]));
    expectClientError(answer, 413, null);
  });

  it("answers invalid JSON just under the limit with 400, not 413", async () => {
    const body = Buffer.from(`{"model":"m","input":"${"x".repeat(DEFAULT_LIMIT - 1_024)}`);
    expectClientError(await raw(jsonPost(body)), 400, null);
  });

  it("names an unknown parameter in a valid body just under the limit", async () => {
    const padding = "x".repeat(DEFAULT_LIMIT - 1_024);
    const body = Buffer.from(JSON.stringify({ model: "m", input: padding, bogus: 1 }));
    expect(expectClientError(await raw(jsonPost(body)), 400, "bogus").code).toBe(
      "unknown_parameter",
    );
  });

  it("answers the next request on a keep-alive connection after a 413, or closes it", async () => {
    const exchange = await sendOnOneConnection(port, jsonPost(oversized()), {
      method: "GET",
      target: "/health",
    });
    expectClientError(exchange.first, 413, null);
    if (!exchange.closedAfterFirst) {
      expect(
        exchange.second?.status,
        "the connection stayed open but dropped the next request",
      ).toBe(200);
    }
  });
});

describe("deep nesting (100,000 levels, as text)", () => {
  it.each([
    ["the whole body as arrays", nestedArrays(100_000), null],
    ["the whole body as objects", nestedObjects(100_000), undefined],
    ["input", `{"model":"m","input":${nestedArrays(100_000)}}`, "input[0]"],
    ["metadata", `{"model":"m","input":"x","metadata":${nestedObjects(100_000)}}`, "metadata.a"],
    ["tools", `{"model":"m","input":"x","tools":${nestedArrays(100_000)}}`, "tools[0]"],
  ])("%s → 400", async (_where, body, param?: string | null) => {
    expectClientError(await postJson(body), 400, param);
  });

  it.each([
    [
      "text.format.schema",
      (deep: string) =>
        `"text":{"format":{"type":"json_schema","name":"n","schema":{"a":${deep}}}}`,
    ],
    [
      "tools[0].parameters",
      (deep: string) => `"tools":[{"type":"function","name":"f","parameters":{"a":${deep}}}]`,
    ],
  ])("accepts or refuses 100,000 levels inside %s, never a 5xx", async (_where, field) => {
    const answer = await postJson(`{"model":"m","input":"x",${field(nestedArrays(100_000))}}`);
    expectCreateAnswer(answer);
  });
});

/**
 * 2,000 levels in a free-form field is, from outside, the way to make a response fail before its
 * first event (the echo of the request cannot be cloned): shutdown and background state must
 * survive that. Refusing such a body up front with a 4xx is an equally good outcome.
 */
describe("a request that fails before its first event", () => {
  const deepSchema = (extra: string) =>
    `{"model":"m","input":"x",${extra}"text":{"format":{"type":"json_schema","name":"n","schema":${nestedObjects(2_000)}}}}`;

  it("does not hold up shutdown", async () => {
    const target = await startFuzzTarget();
    await send(`${target.patchbay.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: deepSchema(""),
    });
    await target.close();
  });

  it("leaves a background response failed, not queued forever", async () => {
    const answer = await postJson(deepSchema('"background":true,'));
    if (expectCreateAnswer(answer) !== null) return;
    const { id } = JSON.parse(answer.text) as { id: string };
    await patchbay.runtime.app.responses.drain();
    const stored = await send(`${patchbay.url}/v1/responses/${id}`, {});
    expect((JSON.parse(stored.text) as { status: string }).status).not.toBe("queued");
  });
});

describe("encodings and content types", () => {
  const valid = '{"model":"m","input":"x"}';

  it("reads invalid UTF-8 in a key as U+FFFD and names that key", async () => {
    const body = Buffer.from([
      ...Buffer.from('{"model":"m","input":"x","'),
      0xff,
      ...Buffer.from('":1}'),
    ]);
    expect(expectClientError(await postJson(body), 400, "\ufffd").code).toBe("unknown_parameter");
  });

  it.each([
    [
      "invalid UTF-8 in a string",
      Buffer.from([
        ...Buffer.from('{"model":"m","input":"'),
        0xff,
        0xfe,
        0xc0,
        0xaf,
        0xed,
        0xa0,
        0x80,
        ...Buffer.from('"}'),
      ]),
    ],
    ["a UTF-8 BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid)])],
    [
      "UTF-16LE with a BOM",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid, "utf16le")]),
    ],
    [
      "a lone surrogate escape and NUL",
      Buffer.from('{"model":"m\\u0000","input":"\\ud800\\udfff\\udc00"}'),
    ],
    ["raw control characters in a string", Buffer.from('{"model":"m","input":"a\u0001\u0000b"}')],
  ])("%s → a 2xx or a 4xx envelope", async (_name, body) => {
    expectCreateAnswer(await postJson(body));
  });

  it.each([
    ["text/plain", 400],
    ["multipart/form-data; boundary=x", 400],
    ["application/x-www-form-urlencoded", 400],
    ["application/jsonp", 400],
    ["application/json; charset=latin1", 200],
    ["APPLICATION/JSON", 200],
    ["application/merge-patch+json", 200],
  ])("Content-Type %s → %i", async (contentType, status) => {
    const answer = await postJson(valid, { "content-type": contentType });
    expect(expectCreateAnswer(answer)?.param ?? null).toBeNull();
    expect(answer.status).toBe(status);
  });

  it("refuses a body without Content-Type with 400", async () => {
    expectClientError(await postJson(new TextEncoder().encode(valid), {}), 400, null);
  });

  it.each([
    ["an empty body", ""],
    ["whitespace", " \r\n\t "],
    ["null", "null"],
    ["a string", '"x"'],
  ])("refuses %s with 400", async (_name, body) => {
    expectClientError(await postJson(body), 400, null);
  });
});

describe("headers", () => {
  it.each([
    ["CR", "a\rb"],
    ["LF", "a\nb"],
    ["NUL", "a\u0000b"],
    ["a control character", "a\u0001b"],
    ["DEL", "a\u007fb"],
  ])("refuses %s in X-Request-Id", async (_name, value) => {
    expectRefused(
      await raw({ method: "GET", target: "/health", headers: [["X-Request-Id", value]] }),
    );
  });

  it.each([
    ["obs-text", "a\u00ffb"],
    ["8 KB", "a".repeat(8_000)],
    ["spaces", "a b"],
    ["an injection attempt", "id\u00e9X-Injected: 1"],
  ])("replaces an X-Request-Id with %s by a sane one", async (_name, value) => {
    const answer = await raw({
      method: "GET",
      target: `/v1/responses/${responseId}`,
      headers: [["X-Request-Id", value]],
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(answer.headers.has("x-injected")).toBe(false);
  });

  it("refuses a request head over Node's 16 KiB limit with a 4xx", async () => {
    expectRefused(
      await raw({
        method: "GET",
        target: "/health",
        headers: [["X-Request-Id", "a".repeat(20_000)]],
      }),
    );
  });

  it.each([
    ["a space", "a b"],
    ["an unclosed IPv6 bracket", "[::1"],
    ["an out-of-range port", "127.0.0.1:99999"],
    ["userinfo", "user@evil"],
  ])("refuses a Host with %s with a 4xx", async (_name, host) => {
    expectRefused(
      await raw({ method: "GET", target: "/v1/responses/x", headers: [["Host", host]] }),
    );
  });

  it.each([
    ["an unknown method", { method: "FOO", target: "/v1/responses" }],
    [
      "Content-Length with Transfer-Encoding",
      {
        method: "POST",
        target: "/v1/responses",
        headers: [
          ["Content-Length", "5"],
          ["Transfer-Encoding", "chunked"],
        ],
        body: "0\r\n\r\n",
      },
    ],
    [
      "a malformed chunk",
      {
        method: "POST",
        target: "/v1/responses",
        headers: [
          ["Content-Type", "application/json"],
          ["Transfer-Encoding", "chunked"],
        ],
        body: "zz\r\n{}\r\n0\r\n\r\n",
      },
    ],
    ["a request target without a slash", { method: "GET", target: "health" }],
  ] satisfies Array<[string, RawRequest]>)("refuses %s with a 4xx", async (_name, request) => {
    expectRefused(await raw(request));
  });
});

describe("mcp tool credentials the HTTP client cannot send", () => {
  it.each([
    ["a header value with CRLF", { headers: { "X-Api-Key": "sekret-crlf\r\nX-Injected: 1" } }],
    ["a header value with NUL", { headers: { "X-Api-Key": "sekret-nul\u0000" } }],
    ["an authorization with CRLF", { authorization: "sekret-auth\r\nX-Injected: 1" }],
  ])("are never echoed or logged: %s", async (_name, fields) => {
    const closed = await closedPort();
    const secret = /sekret-[a-z]+/.exec(JSON.stringify(fields))![0];
    const logsBefore = patchbay.logs.length;
    const tool = {
      type: "mcp",
      server_label: "s",
      server_url: `http://127.0.0.1:${closed}/mcp`,
      require_approval: "never",
      ...fields,
    };
    const answer = await postJson(JSON.stringify({ model: "m", input: "x", tools: [tool] }));
    expectNoServerError(answer);
    expect(answer.text).not.toContain(secret);
    expect(patchbay.logs.slice(logsBefore).join("\n")).not.toContain(secret);
  });
});

describe("ids and routes", () => {
  const tricks = [
    "%2e%2e%2fadmin",
    "..%2F..%2Fhealth",
    "%00",
    "%ZZ",
    "%",
    "%252e%252e%252f",
    "%F0%9F%98%80",
    "%C0%AF",
    "%ED%A0%80",
    "a%2Fb",
    "%0D%0AX-Injected:%201",
  ];
  const routes: Array<[string, (id: string) => string]> = [
    ["GET", (id) => `/v1/responses/${id}`],
    ["DELETE", (id) => `/v1/responses/${id}`],
    ["GET", (id) => `/v1/responses/${id}/input_items`],
    ["POST", (id) => `/v1/responses/${id}/cancel`],
  ];
  /** Not valid percent-encoding of UTF-8: refused as such, not looked up as a lenient decoding. */
  const malformed = new Set(["%ZZ", "%", "%C0%AF", "%ED%A0%80"]);
  it.each(tricks.flatMap((id) => routes.map(([method, path]) => [method, path(id), id] as const)))(
    "%s %s → 404 (or 400 when malformed) naming response_id",
    async (method, target, id) => {
      const answer = await raw({ method, target });
      expectClientError(answer, malformed.has(id) ? 400 : 404, "response_id");
      expect(answer.headers.has("x-injected")).toBe(false);
    },
  );

  it.each(["PUT", "PATCH", "OPTIONS", "TRACE"])(
    "%s /v1/responses → a 4xx envelope",
    async (method) => {
      const answer = await raw({
        method,
        target: "/v1/responses",
        body: '{"model":"m","input":"x"}',
      });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expectNoServerError(answer);
    },
  );

  it.each([
    "limit=1e309",
    "limit=-0",
    "limit=",
    "limit=0x10",
    "limit=%201%20",
    "limit=1&limit=1000",
    "order=asc&order=desc",
    "order=",
    "after=",
    "after=%00",
    "after=msg_missing",
    "%ZZ=%ZZ",
  ])("input_items?%s → a 200 list or a 4xx envelope", async (query) => {
    const answer = await raw({
      method: "GET",
      target: `/v1/responses/${responseId}/input_items?${query}`,
    });
    expectNoServerError(answer);
    if (answer.status === 200) expect(JSON.parse(answer.text)).toMatchObject({ object: "list" });
  });
});

describe("operations after all of the above", () => {
  it("still answers /health, /ready and /metrics", async () => {
    await expectOperationsAnswer(patchbay);
  });

  it("still creates a response", async () => {
    expect(expectCreateAnswer(await postJson('{"model":"m","input":"x"}'))).toBeNull();
  });
});
