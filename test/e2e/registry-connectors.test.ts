/**
 * Registry-derived connectors end to end (issue 5, PRODUCT.md §5, §8.7, §8.8, §8.16): a registry
 * fixture serving the real 358-server seed plus entries whose remotes point at SDK-built MCP
 * servers on loopback, the official openai client, and the scripted model.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registryConfig } from "../support/config-entries.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import {
  fixtureEntry,
  loadRegistrySeed,
  startRegistryFixture,
  type RegistryFixture,
} from "../support/registry-fixture-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

let model: ScriptedModel;
let streamable: McpFixture;
let sseOnly: McpFixture;
let pinned: McpFixture;
let registry: RegistryFixture;
let patchbay: TestPatchbay;
let client: OpenAI;

const tool = (
  connectorId: string,
  extra: Partial<OpenAI.Responses.Tool.Mcp> = {},
): OpenAI.Responses.Tool.Mcp => ({
  type: "mcp",
  server_label: "reg",
  connector_id: connectorId as "connector_dropbox",
  require_approval: "never",
  ...extra,
});
const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${patchbay.baseURL}/admin/mcp_registries${path}`, init);
const sync = async () => {
  const response = await admin("/test/sync", { method: "POST" });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const listConnectors = async (query: string) =>
  (await (await fetch(`${patchbay.baseURL}/connectors?${query}`)).json()) as {
    data: Array<Record<string, unknown>>;
    has_more: boolean;
    last_id: string | null;
  };

beforeAll(async () => {
  model = await startScriptedModel();
  streamable = await startMcpFixture({ transport: "streamable-http" });
  sseOnly = await startMcpFixture({ transport: "sse" });
  pinned = await startMcpFixture({ transport: "streamable-http" });
  const port = new URL(streamable.url).port;
  registry = await startRegistryFixture({
    servers: [
      ...loadRegistrySeed(),
      fixtureEntry("io.test/stream", {
        title: "Streamable test server",
        remotes: [
          { type: "sse", url: sseOnly.sseUrl },
          { type: "streamable-http", url: streamable.url },
        ],
      }),
      fixtureEntry("io.test/sse-only", { remotes: [{ type: "sse", url: sseOnly.sseUrl }] }),
      fixtureEntry("io.test/pinned", {
        version: "1.0.0",
        remotes: [{ type: "streamable-http", url: pinned.url }],
      }),
      fixtureEntry("io.test/pinned", {
        version: "2.0.0",
        remotes: [{ type: "streamable-http", url: streamable.url }],
      }),
      fixtureEntry("io.test/templated", {
        remotes: [
          {
            type: "streamable-http",
            url: "http://127.0.0.1:{port}/mcp",
            variables: { port: { description: "port", default: port } },
            headers: [{ name: "X-Api-Key", isRequired: true, isSecret: true }],
          },
        ],
      }),
      fixtureEntry("io.test/needs-var", {
        remotes: [
          {
            type: "streamable-http",
            url: "http://{tenant}.example/mcp",
            variables: { tenant: { isRequired: true } },
          },
        ],
      }),
      fixtureEntry("io.test/packages-only", {
        packages: [
          { registryType: "npm", identifier: "x", version: "1.0.0", transport: { type: "stdio" } },
        ],
      }),
      fixtureEntry("io.test/old", {
        status: "deprecated",
        statusMessage: "use io.test/stream",
        remotes: [{ type: "streamable-http", url: streamable.url }],
      }),
    ],
  });
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.registries.push(registryConfig("test", registry.url, { name: "Test registry" }));
    },
  });
  client = patchbay.client;
  expect((await sync()).status).toBe(200);
});
afterAll(async () => {
  await patchbay.close();
  await registry.close();
  await Promise.all([streamable.close(), sseOnly.close(), pinned.close()]);
  await model.close();
});

async function callThrough(connectorId: string, extra: Partial<OpenAI.Responses.Tool.Mcp> = {}) {
  model.enqueue([
    { toolCalls: [{ name: "echo", arguments: '{"message":"via registry"}' }] },
    { text: "done" },
  ]);
  return client.responses.create({ model: "m", input: "x", tools: [tool(connectorId, extra)] });
}

describe("resolution of mcp::<registry>::<name>", () => {
  it("mirrors the real seed plus the test entries", async () => {
    const status = (await (await admin("/test/status")).json()) as {
      servers: number;
      last_error: string | null;
      last_success_at: string | null;
    };
    expect(status.servers).toBeGreaterThanOrEqual(300);
    expect(status.last_error).toBeNull();
    expect(status.last_success_at).not.toBeNull();
  });

  it("lists and calls tools of a streamable-http remote (preferred over sse)", async () => {
    const before = streamable.counters.callTool;
    const response = await callThrough("mcp::test::io.test/stream");
    expect(response.output.map((item) => item.type)).toEqual([
      "mcp_list_tools",
      "mcp_call",
      "message",
    ]);
    expect(response.output[1]).toMatchObject({ output: "Echo: via registry" });
    expect(streamable.counters.callTool).toBe(before + 1);
    expect(response.tools[0]).toMatchObject({
      connector_id: "mcp::test::io.test/stream",
      headers: null,
    });
  });

  it("works with an sse-only remote", async () => {
    const before = sseOnly.counters.callTool;
    await callThrough("mcp::test::io.test/sse-only");
    expect(sseOnly.counters.callTool).toBe(before + 1);
  });

  it("honours a pinned @version", async () => {
    const before = pinned.counters.callTool;
    await callThrough("mcp::test::io.test/pinned@1.0.0");
    expect(pinned.counters.callTool).toBe(before + 1);
    const latestBefore = streamable.counters.callTool;
    await callThrough("mcp::test::io.test/pinned");
    expect(streamable.counters.callTool).toBe(latestBefore + 1);
  });

  it("fills URL variables from defaults and takes secret headers from the caller", async () => {
    const response = await callThrough("mcp::test::io.test/templated", {
      headers: { "x-api-key": "caller-secret" },
    });
    expect(response.output[1]).toMatchObject({ output: "Echo: via registry" });
    expect(streamable.requestHeaders.at(-1)?.["x-api-key"]).toBe("caller-secret");
    await expect(
      client.responses.create({
        model: "m",
        input: "x",
        tools: [tool("mcp::test::io.test/templated")],
      }),
    ).rejects.toMatchObject({
      status: 400,
      code: "missing_header",
      param: "tools[0].headers",
      message: expect.stringContaining("X-Api-Key"),
    });
  });

  it.each([
    ["mcp::test::io.test/needs-var", "missing_variable", "tenant"],
    ["mcp::test::io.test/packages-only", "no_remote", "has no remote endpoint"],
    ["mcp::nope::io.test/stream", "unknown_connector", "mcp::nope::io.test/stream"],
    ["mcp::test::io.test/absent", "unknown_connector", "io.test/absent"],
  ])("%s → 400 %s", async (connectorId, code, text) => {
    await expect(
      client.responses.create({ model: "m", input: "x", tools: [tool(connectorId)] }),
    ).rejects.toMatchObject({
      status: 400,
      code,
      message: expect.stringContaining(text),
    });
  });

  it("fetches a name missing from the mirror live, once", async () => {
    registry.upsert(
      fixtureEntry("io.test/late", { remotes: [{ type: "streamable-http", url: streamable.url }] }),
    );
    const detailRequests = () =>
      registry.requests.filter((request) => request.path.includes("io.test%2Flate")).length;
    const before = detailRequests();
    await callThrough("mcp::test::io.test/late");
    await callThrough("mcp::test::io.test/late");
    expect(detailRequests()).toBe(before + 1);
  });

  it("keeps deprecated servers usable", async () => {
    const response = await callThrough("mcp::test::io.test/old");
    expect(response.status).toBe("completed");
  });
});

describe("GET /v1/connectors", () => {
  it("lists registry-derived ids with their fields, without packages-only servers", async () => {
    const page = await listConnectors("source=registry&registry_id=test&search=io.test&limit=100");
    const ids = page.data.map((item) => item.id);
    expect(ids).toContain("mcp::test::io.test/stream");
    expect(ids).not.toContain("mcp::test::io.test/packages-only");
    expect(page.data.find((item) => item.id === "mcp::test::io.test/stream")).toMatchObject({
      object: "connector",
      source: "registry",
      registry_id: "test",
      server_name: "io.test/stream",
      title: "Streamable test server",
      version: "1.0.0",
      status: "active",
      transport: "streamable-http",
    });
    expect(page.data.find((item) => item.id === "mcp::test::io.test/old")).toMatchObject({
      status: "deprecated",
      status_message: "use io.test/stream",
    });
    expect(ids).toEqual([...ids].sort());
  });

  it("pages with limit and after over the whole mirror", async () => {
    const all = await listConnectors("source=registry&limit=100");
    const seen: string[] = [];
    let after: string | null = null;
    for (let pageCount = 0; pageCount < 100; pageCount++) {
      const page = await listConnectors(
        `source=registry&limit=100${after ? `&after=${encodeURIComponent(after)}` : ""}`,
      );
      seen.push(...page.data.map((item) => String(item.id)));
      if (!page.has_more) break;
      after = page.last_id;
    }
    expect(seen).toEqual(all.data.map((item) => item.id));
    expect(seen.length).toBeGreaterThan(4);
  });

  it("gets one connector by its percent-encoded id", async () => {
    const response = await fetch(
      `${patchbay.baseURL}/connectors/${encodeURIComponent("mcp::test::io.test/stream")}`,
    );
    expect(await response.json()).toMatchObject({
      id: "mcp::test::io.test/stream",
      server_name: "io.test/stream",
    });
    expect(
      (await fetch(`${patchbay.baseURL}/connectors/${encodeURIComponent("mcp::test::nope/x")}`))
        .status,
    ).toBe(404);
  });
});

describe("sync and outages", () => {
  it("incremental sync picks up an added, an updated, a deprecated and a deleted server", async () => {
    registry.upsert(
      fixtureEntry("io.test/added", {
        remotes: [{ type: "streamable-http", url: streamable.url }],
      }),
    );
    registry.upsert(
      fixtureEntry("io.test/stream", {
        version: "1.1.0",
        title: "Streamable test server",
        remotes: [{ type: "streamable-http", url: streamable.url }],
      }),
    );
    registry.setStatus("io.test/sse-only", "1.0.0", "deprecated", "moving on");
    registry.setStatus("io.test/pinned", "2.0.0", "deleted");
    registry.setStatus("io.test/pinned", "1.0.0", "deleted");
    const result = await sync();
    expect(result.body).toMatchObject({ mode: "incremental" });
    const ids = (await listConnectors("source=registry&search=io.test&limit=100")).data;
    const byId = new Map(ids.map((item) => [item.id, item]));
    expect(byId.has("mcp::test::io.test/added")).toBe(true);
    expect(byId.get("mcp::test::io.test/stream")).toMatchObject({ version: "1.1.0" });
    expect(byId.get("mcp::test::io.test/sse-only")).toMatchObject({
      status: "deprecated",
      status_message: "moving on",
    });
    expect(byId.has("mcp::test::io.test/pinned")).toBe(false);
  });

  it("keeps resolving and listing mirrored names while the registry is down", async () => {
    await registry.down();
    try {
      const response = await callThrough("mcp::test::io.test/stream");
      expect(response.status).toBe("completed");
      expect(
        (await listConnectors("source=registry&search=io.test/stream")).data.length,
      ).toBeGreaterThan(0);
      await expect(
        client.responses.create({
          model: "m",
          input: "x",
          tools: [tool("mcp::test::io.test/never-mirrored")],
        }),
      ).rejects.toMatchObject({
        status: 424,
        code: "registry_unavailable",
        param: "tools[0].connector_id",
      });
      const forced = await sync();
      expect(forced.status).toBe(502);
      expect(forced.body).toMatchObject({
        error: { code: "registry_error", type: "server_error" },
      });
      const status = (await (await admin("/test/status")).json()) as {
        last_error: string | null;
        servers: number;
      };
      expect(status.last_error).not.toBeNull();
      expect(status.servers).toBeGreaterThan(300);
    } finally {
      await registry.up();
    }
  });
});

describe("startup", () => {
  it("is ready and serves while the first crawl is still hanging", async () => {
    const slow = await startRegistryFixture({
      servers: [
        fixtureEntry("io.test/slow", {
          remotes: [{ type: "streamable-http", url: streamable.url }],
        }),
      ],
    });
    slow.failNext(1, { hang: true });
    const requestsBefore = slow.requests.length;
    const second = await startPatchbay({
      modelUrl: model.url,
      configure: (config) => {
        config.registries.push(registryConfig("slow", slow.url));
      },
    });
    try {
      await slow.waitForRequests(requestsBefore + 1);
      expect((await fetch(`${second.url}/ready`)).status).toBe(200);
      model.enqueue({ text: "serving" });
      const response = await second.client.responses.create({ model: "m", input: "x" });
      expect(response.output_text).toBe("serving");
    } finally {
      await second.close();
      await slow.close();
    }
  });
});
