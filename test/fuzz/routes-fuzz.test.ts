/**
 * Random paths, methods, query strings, headers and bodies against every mounted route, read from
 * the running app (issue 7 "Hostile input", PRODUCT.md §7): never a 5xx or a hang, every 4xx in
 * OpenAI's envelope, a sane `X-Request-Id` on every answer, and `/health`, `/ready`, `/metrics`
 * answering as usual.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminAndUserKeys, connectorConfig, registryConfig } from "../support/config-entries.js";
import {
  fixtureEntry,
  startRegistryFixture,
  type RegistryFixture,
} from "../support/registry-fixture-server.js";
import { expectOperationsAnswer, startFuzzTarget, type FuzzTarget } from "./fuzz-patchbay.js";
import { counted, fuzzParameters, fuzzTimeout, startTally, tallyLine } from "./fuzz-runs.js";
import {
  describeAnswer,
  expectEnvelope,
  expectNoServerError,
  expectRegistryProblem,
  type HttpAnswer,
} from "./http-answer.js";
import { sendRaw, type RawRequest } from "./raw-http.js";
import { CONNECTOR_SECRET, routeRequests, type MountedRoute } from "./route-requests.js";

const ADMIN_KEY = "sk-fuzz-admin";
const USER_KEY = "sk-fuzz-user";
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

let target: FuzzTarget;
let registry: RegistryFixture;
let port: number;
let routes: MountedRoute[];
let responseId: string;
let conversationId: string;
let itemId: string;
const tally = startTally();

beforeAll(async () => {
  registry = await startRegistryFixture({
    servers: [
      fixtureEntry("io.test/fuzz", {
        remotes: [{ type: "streamable-http", url: "http://127.0.0.1:1/mcp" }],
      }),
    ],
  });
  target = await startFuzzTarget((config) => {
    config.server.apiKeys = adminAndUserKeys(ADMIN_KEY, USER_KEY);
    config.connectors.push(
      connectorConfig("connector_fuzz", "http://127.0.0.1:1/mcp", {
        description: "closed port",
        transport: "streamable-http",
        timeoutMs: 2_000,
      }),
    );
    config.registries.push(
      registryConfig("fuzz_registry", registry.url, { name: "Fuzz registry" }),
    );
  });
  port = Number(new URL(target.patchbay.url).port);
  routes = target.patchbay.runtime.app.hono.routes
    .filter((route) => route.method !== "ALL")
    .map(({ method, path }) => ({ method, path }));
  const created = await fetch(`${target.patchbay.baseURL}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ model: "fuzz-model", input: "Remember this." }),
  });
  responseId = ((await created.json()) as { id: string }).id;
  const conversation = await fetch(`${target.patchbay.baseURL}/conversations`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${USER_KEY}` },
    body: JSON.stringify({
      items: [{ type: "message", role: "user", content: "Hi", id: "msg_fuzz" }],
    }),
  });
  conversationId = ((await conversation.json()) as { id: string }).id;
  itemId = "msg_fuzz";
});
afterAll(async () => {
  console.info(tallyLine("routes", tally));
  await target.close();
  await registry.close();
});

/**
 * Routes that reach an upstream answer its failure as a gateway error by design (PRODUCT.md §8.15,
 * §8.16: a failed forced sync is a 502 `registry_error`; a connector's live tool list that cannot
 * be fetched, a 502 `connector_error`). The known connector and registry point at a closed port,
 * so those answers are expected; any other 5xx is still a failure.
 */
function isUpstreamFailure(answer: HttpAnswer): boolean {
  if (answer.status !== 502 && answer.status !== 504) return false;
  const error = expectEnvelope(answer);
  return (
    error.type === "external_connector_error" ||
    error.code === "registry_error" ||
    error.code === "connector_error"
  );
}

function expectRouteAnswer(request: RawRequest, answer: HttpAnswer): void {
  const context = `${request.method} ${request.target.slice(0, 200)}`;
  try {
    const requestId = answer.headers.get("x-request-id");
    if (requestId === null || !SANE_REQUEST_ID.test(requestId)) {
      throw new Error(`X-Request-Id ${JSON.stringify(requestId)} is missing or not sane`);
    }
    if (request.method === "HEAD") {
      // No body to read the envelope from: a live tool listing's 502/504 is the upstream's.
      const upstream =
        /\/tools(\/|\?|$)/.test(request.target) && [502, 504].includes(answer.status);
      if (answer.status >= 500 && !upstream) {
        throw new Error(`server error: ${describeAnswer(answer)}`);
      }
      return;
    }
    if (answer.text.includes(CONNECTOR_SECRET)) throw new Error("the answer echoes a credential");
    if (/^\/v0\.1([/?]|$)/.test(request.target)) expectRegistryProblem(answer);
    else if (isUpstreamFailure(answer)) return;
    else expectNoServerError(answer);
    if (answer.status < 300 && answer.headers.get("content-type")?.startsWith("application/json")) {
      JSON.parse(answer.text);
    }
  } catch (error) {
    throw new Error(`${context}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

describe("every mounted route under fuzzing", () => {
  it("reads a non-trivial route table from the app", () => {
    const paths = routes.map((route) => `${route.method} ${route.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        "GET /health",
        "GET /ready",
        "GET /metrics",
        "POST /v1/responses",
        "GET /v1/responses/:response_id",
        "DELETE /v1/responses/:response_id",
        "GET /v1/responses/:response_id/input_items",
        "POST /v1/responses/:response_id/cancel",
      ]),
    );
  });

  it(
    "answers random requests with a 2xx, 3xx or 4xx envelope, and no 5xx but an upstream 502",
    async () => {
      const requests = routeRequests({
        routes,
        knownIds: [
          responseId,
          conversationId,
          itemId,
          "connector_fuzz",
          "fuzz_registry",
          "resp_missing",
        ],
        validAuthorizations: [`Bearer ${ADMIN_KEY}`, `Bearer ${USER_KEY}`],
      });
      await fc.assert(
        fc.asyncProperty(
          requests,
          counted(tally, async (request) => {
            expectRouteAnswer(request, await sendRaw(port, request));
          }),
        ),
        fuzzParameters("routes"),
      );
    },
    fuzzTimeout("routes"),
  );

  it("never logged the connector token sent during the fuzzing", () => {
    expect(target.patchbay.logs.filter((line) => line.includes(CONNECTOR_SECRET))).toEqual([]);
  });

  it("still serves /health, /ready and /metrics after the fuzzing", async () => {
    await expectOperationsAnswer(target.patchbay);
  });
});
