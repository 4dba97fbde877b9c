/**
 * Registry faults (issue 7 item 2; PRODUCT.md §5, §8.16): a registry that is down, rate-limits,
 * answers garbage, or pages forever. The mirror keeps serving what it has; a name it lacks while
 * the registry is unreachable is a 424 `registry_unavailable`; a forced sync that fails is a 502
 * `registry_error` recorded in the registry status; every failure arrives in bounded time.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registryConfig } from "../support/config-entries.js";
import { listenOnLoopback } from "../support/listen-on-loopback.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import {
  fixtureEntry,
  startRegistryFixture,
  type RegistryFixture,
} from "../support/registry-fixture-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { sendJson } from "../support/send-fixture-response.js";
import { mcpTool, postResponse, readError, timed } from "./fault-requests.js";

const REGISTRY_ID = "faulty";
const ENDLESS_ID = "endless";
const OFFICIAL = "io.modelcontextprotocol.registry/official";
/** `defaultMaxPages` of src/registries/crawl-registry.ts: the bound on a listing that never ends. */
const MAX_PAGES = 10_000;
/**
 * Connection failures are retried 3 times with full-jitter backoff of at most 0.5 + 1 + 2 s
 * (src/registries/fetch-with-retry.ts), so an unreachable registry is given up within 3.5 s.
 */
const UNREACHABLE_BOUND_MS = 3_500 + 1_500;
/** A registry that answers (garbage, a repeated cursor) is judged on its first answer. */
const IMMEDIATE_MS = 2_000;

let model: ScriptedModel;
let mcp: McpFixture;
let registry: RegistryFixture;
let endlessRegistry: EndlessRegistry;
let patchbay: TestPatchbay;

interface RegistryStatus {
  last_success_at: string | null;
  last_error: string | null;
  servers: number;
  versions: number;
}

const admin = (path: string, init: RequestInit = {}, registryId = REGISTRY_ID) =>
  fetch(`${patchbay.baseURL}/admin/mcp_registries/${registryId}${path}`, init);
const forcedSync = async (registryId = REGISTRY_ID) => {
  const response = await admin("/sync", { method: "POST" }, registryId);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const registryStatus = async (registryId = REGISTRY_ID) =>
  (await (await admin("/status", {}, registryId)).json()) as RegistryStatus;

/** A response whose tool is the registry server `serverName`. */
function respondWith(serverName: string, registryId = REGISTRY_ID): Promise<Response> {
  return postResponse(patchbay.baseURL, {
    model: "m",
    input: "x",
    tools: [mcpTool("reg", { connector_id: `mcp::${registryId}::${serverName}` })],
  });
}

/** The mirrored server resolves, lists and runs a call; the mirror still holds `servers`. */
async function expectMirrorServes(
  serverName: string,
  servers: number,
  registryId = REGISTRY_ID,
): Promise<void> {
  model.enqueue([
    { toolCalls: [{ name: "echo", arguments: '{"message":"from the mirror"}' }] },
    { text: "done" },
  ]);
  const response = await respondWith(serverName, registryId);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ status: "completed" });
  expect((await registryStatus(registryId)).servers).toBe(servers);
}

interface EndlessRegistry {
  url: string;
  /** Pages served since the last switch to endless mode. */
  pages: number;
  /** Off: one page, `io.endless/first`, no cursor. On: a new server and a new cursor per page. */
  endless: boolean;
  close(): Promise<void>;
}

/** A registry whose listing can be made to never end, with cursors it has never sent before. */
async function startEndlessRegistry(mcpUrl: string): Promise<EndlessRegistry> {
  const entry = (name: string) => ({
    server: {
      name,
      version: "1.0.0",
      description: "An endless page",
      remotes: [{ type: "streamable-http", url: mcpUrl }],
    },
    _meta: {
      [OFFICIAL]: { status: "active", isLatest: true, updatedAt: new Date().toISOString() },
    },
  });
  const state = { pages: 0, endless: false };
  const server: Server = createServer((_request, response) => {
    state.pages += 1;
    const body = state.endless
      ? {
          servers: [entry(`io.endless/page-${state.pages % 10}`)],
          metadata: { nextCursor: `cursor-${state.pages}`, count: 1 },
        }
      : { servers: [entry("io.endless/first")], metadata: { count: 1 } };
    sendJson(response, 200, body);
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    get pages() {
      return state.pages;
    },
    get endless() {
      return state.endless;
    },
    set endless(value: boolean) {
      state.endless = value;
      state.pages = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

beforeAll(async () => {
  model = await startScriptedModel();
  mcp = await startMcpFixture({ transport: "streamable-http" });
  registry = await startRegistryFixture({
    servers: ["alpha", "beta", "gamma"].map((name) =>
      fixtureEntry(`io.test/${name}`, { remotes: [{ type: "streamable-http", url: mcp.url }] }),
    ),
  });
  endlessRegistry = await startEndlessRegistry(mcp.url);
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.registries.push(
        registryConfig(REGISTRY_ID, registry.url),
        registryConfig(ENDLESS_ID, endlessRegistry.url),
      );
    },
  });
  expect((await forcedSync()).status).toBe(200);
  expect((await registryStatus()).servers).toBe(3);
  expect((await forcedSync(ENDLESS_ID)).status).toBe(200);
});
afterAll(async () => {
  await patchbay.close();
  await registry.close();
  await endlessRegistry.close();
  await mcp.close();
  await model.close();
});

describe("registry faults", () => {
  it("down: mirrored names still resolve; an unmirrored one → 424 registry_unavailable; a forced sync → 502, in bounded time", async () => {
    await registry.down();
    try {
      await expectMirrorServes("io.test/alpha", 3);

      const requestsBefore = model.requests.length;
      const { value: unmirrored, ms: lookupMs } = await timed(respondWith("io.test/never-seen"));
      expect(unmirrored.status).toBe(424);
      expect((await readError(unmirrored)).error).toMatchObject({
        type: "external_connector_error",
        code: "registry_unavailable",
        param: "tools[0].connector_id",
      });
      expect(lookupMs, `answered after ${Math.round(lookupMs)} ms`).toBeLessThan(
        UNREACHABLE_BOUND_MS,
      );
      expect(model.requests.length).toBe(requestsBefore);

      // The outage is remembered: a burst of lookups fails at once, saying when the next try is.
      const { value: burst, ms: burstMs } = await timed(
        Promise.all(["one", "two", "three", "four"].map((name) => respondWith(`io.test/${name}`))),
      );
      for (const answer of burst) {
        expect(answer.status).toBe(424);
        expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(Number(answer.headers.get("retry-after"))).toBeLessThanOrEqual(10);
        expect((await readError(answer)).error).toMatchObject({
          code: "registry_unavailable",
          message: expect.stringMatching(/asks the registry again in \d+ s\.$/),
        });
      }
      expect(burstMs, `answered after ${Math.round(burstMs)} ms`).toBeLessThan(IMMEDIATE_MS);

      const { value: sync, ms: syncMs } = await timed(forcedSync());
      expect(sync.status).toBe(502);
      expect(sync.body).toMatchObject({ error: { type: "server_error", code: "registry_error" } });
      expect(syncMs, `answered after ${Math.round(syncMs)} ms`).toBeLessThan(UNREACHABLE_BOUND_MS);
      const status = await registryStatus();
      expect(status.last_error).toContain("Could not reach the MCP registry");
      expect(status.servers).toBe(3);
    } finally {
      await registry.up();
    }
    expect((await forcedSync()).status).toBe(200);
    expect((await registryStatus()).last_error).toBeNull();
  });

  it("429 with Retry-After, then success: the sync succeeds after waiting as asked", async () => {
    const before = registry.requests.length;
    registry.failNext(1, { status: 429, headers: { "retry-after": "1" } });
    const syncing = timed(forcedSync());
    await registry.waitForRequests(before + 1);
    const limitedAt = performance.now();
    await registry.waitForRequests(before + 2);
    const retriedAfterMs = performance.now() - limitedAt;
    const { value: sync, ms } = await syncing;
    expect(sync.status).toBe(200);
    expect(sync.body).toMatchObject({ object: "mcp_registry.sync", servers: 3 });
    // Without Retry-After the first pause is full-jitter backoff below 500 ms.
    expect(retriedAfterMs, `retried after ${Math.round(retriedAfterMs)} ms`).toBeGreaterThan(900);
    expect(ms).toBeLessThan(1_000 + IMMEDIATE_MS);
    expect((await registryStatus()).last_error).toBeNull();
  });

  it.each([
    ["a JSON body cut short", { status: 200, body: "{not json" }],
    ["chunked garbage", { status: 200, body: "{not json at all".repeat(200), chunked: true }],
  ])(
    "garbage (%s) → forced sync 502 registry_error, recorded in the status, mirror intact",
    async (_name, fault) => {
      registry.failNext(1, fault);
      const { value: sync, ms } = await timed(forcedSync());
      expect(sync.status).toBe(502);
      expect(sync.body).toMatchObject({ error: { type: "server_error", code: "registry_error" } });
      expect(JSON.stringify(sync.body)).toContain("not JSON");
      expect(ms).toBeLessThan(IMMEDIATE_MS);
      const status = await registryStatus();
      expect(status.last_error).toContain("not JSON");
      await expectMirrorServes("io.test/beta", 3);
    },
  );

  it("endless pagination (the same cursor forever) → the sync fails with a protocol error at once, mirror intact", async () => {
    registry.upsert(
      fixtureEntry("io.test/delta", { remotes: [{ type: "streamable-http", url: mcp.url }] }),
    );
    registry.endlessPagination = "repeat";
    const before = registry.requests.length;
    try {
      const { value: sync, ms } = await timed(forcedSync());
      expect(sync.status).toBe(502);
      expect(sync.body).toMatchObject({ error: { code: "registry_error" } });
      expect(JSON.stringify(sync.body)).toContain("repeated cursor");
      expect(ms).toBeLessThan(IMMEDIATE_MS);
      expect(registry.requests.length - before).toBeLessThanOrEqual(3);
      expect((await registryStatus()).last_error).toContain("repeated cursor");
      await expectMirrorServes("io.test/gamma", (await registryStatus()).servers);
    } finally {
      registry.endlessPagination = false;
    }
  });

  it("endless pagination (empty pages that still carry a cursor) → the crawl ends at the first empty page", async () => {
    registry.endlessPagination = "empty";
    const before = registry.requests.length;
    try {
      const { value: sync, ms } = await timed(forcedSync());
      expect(sync.status).toBe(200);
      expect(ms).toBeLessThan(IMMEDIATE_MS);
      expect(registry.requests.length - before).toBeLessThanOrEqual(3);
      expect((await registryStatus()).servers).toBe(4);
    } finally {
      registry.endlessPagination = false;
    }
  });

  it(`endless pagination (a new cursor on every non-empty page) → the sync stops at ${MAX_PAGES} pages with a protocol error, mirror intact`, async () => {
    endlessRegistry.endless = true;
    try {
      const { value: sync, ms } = await timed(forcedSync(ENDLESS_ID));
      console.log(
        `endless listing given up after ${endlessRegistry.pages} pages, ${Math.round(ms)} ms`,
      );
      expect(sync.status).toBe(502);
      expect(sync.body).toMatchObject({ error: { code: "registry_error" } });
      expect(JSON.stringify(sync.body)).toContain(`exceeded ${MAX_PAGES} pages`);
      expect(endlessRegistry.pages).toBe(MAX_PAGES);
      expect((await registryStatus(ENDLESS_ID)).last_error).toContain("exceeded");
      const { servers } = await registryStatus(ENDLESS_ID);
      await expectMirrorServes("io.endless/first", servers, ENDLESS_ID);
    } finally {
      endlessRegistry.endless = false;
    }
  }, 60_000);
});
