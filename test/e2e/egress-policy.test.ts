/**
 * Egress policy end to end (PRODUCT.md §7), with loopback addresses on the deny list so no packet
 * ever leaves loopback even if the policy were broken; and the default once API keys exist
 * (private addresses blocked unless `allow_cidrs` opens them), judged for names on the address
 * the connection resolves.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PatchbayConfig } from "../../src/config/patchbay-config.js";
import { adminAndUserKeys, connectorConfig, registryConfig } from "../support/config-entries.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import {
  fixtureEntry,
  startRegistryFixture,
  type RegistryFixture,
} from "../support/registry-fixture-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startStatusPeer, type StubPeer } from "../support/stub-http-peers.js";

let model: ScriptedModel;
let mcp: McpFixture;
let patchbay: TestPatchbay;
let redirector: StubPeer;

const respondWith = (tool: OpenAI.Responses.Tool.Mcp) =>
  patchbay.client.responses.create({ model: "m", input: "x", tools: [tool] });

beforeAll(async () => {
  model = await startScriptedModel();
  mcp = await startMcpFixture({ transport: "streamable-http" });
  redirector = await startStatusPeer(307, {
    location: `http://127.0.0.2:${new URL(mcp.url).port}/mcp`,
  });
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.server.mcp.egress = {
        denyCidrs: ["127.0.0.2/32", "127.0.0.3/32"],
        allowCidrs: [],
        blockPrivate: false,
      };
      config.connectors.push(
        connectorConfig("admin_loopback", mcp.url.replace("127.0.0.1", "127.0.0.3"), {
          transport: "streamable-http",
          requireApproval: "never",
          timeoutMs: 2_000,
        }),
      );
    },
  });
});
afterAll(async () => {
  await patchbay.close();
  await redirector.close();
  await mcp.close();
  await model.close();
});

describe("egress policy for user server_url", () => {
  it("refuses a denied address with a 400 naming the rule, before connecting", async () => {
    const before = mcp.counters.httpRequests;
    await expect(
      respondWith({
        type: "mcp",
        server_label: "denied",
        server_url: `http://127.0.0.2:${new URL(mcp.url).port}/mcp`,
        require_approval: "never",
      }),
    ).rejects.toMatchObject({
      status: 400,
      code: "egress_blocked",
      param: "tools[0].server_url",
      message: expect.stringContaining("deny_cidrs"),
    });
    expect(mcp.counters.httpRequests).toBe(before);
  });

  it("checks every redirect hop", async () => {
    const error = await respondWith({
      type: "mcp",
      server_label: "redirected",
      server_url: redirector.url,
      require_approval: "never",
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      status: 424,
      message: expect.stringContaining("egress policy blocks"),
    });
    expect(redirector.requests).toBeGreaterThan(0);
  });

  it("does not apply to admin-defined connectors", async () => {
    const error = await respondWith({
      type: "mcp",
      server_label: "admin",
      connector_id: "admin_loopback" as "connector_dropbox",
    }).catch((caught: unknown) => caught);
    expect(error).not.toMatchObject({ code: "egress_blocked" });
  });

  it("allows loopback servers by default", async () => {
    model.enqueue({ text: "ok" });
    const response = await respondWith({
      type: "mcp",
      server_label: "open",
      server_url: mcp.url,
      require_approval: "never",
    });
    expect(response.output[0]?.type).toBe("mcp_list_tools");
  });
});

describe("egress policy once API keys are configured (private addresses blocked by default)", () => {
  let guarded: TestPatchbay;
  let opened: TestPatchbay;
  const port = () => new URL(mcp.url).port;
  const respondVia = (target: TestPatchbay, serverUrl: string) =>
    target.client.responses.create({
      model: "m",
      input: "x",
      tools: [
        { type: "mcp", server_label: "local", server_url: serverUrl, require_approval: "never" },
      ],
    });

  beforeAll(async () => {
    const configure = (allowCidrs: string[]) => (config: PatchbayConfig) => {
      config.server.apiKeys = adminAndUserKeys("sk-admin-egress", "sk-user-egress");
      config.server.mcp.egress = { denyCidrs: [], allowCidrs, blockPrivate: true };
    };
    guarded = await startPatchbay({ modelUrl: model.url, configure: configure([]) });
    opened = await startPatchbay({
      modelUrl: model.url,
      configure: configure(["127.0.0.0/8", "::1/128"]),
    });
  });
  afterAll(async () => {
    await guarded.close();
    await opened.close();
  });

  it("refuses a loopback IP literal with a 400 before connecting", async () => {
    const before = mcp.counters.httpRequests;
    await expect(respondVia(guarded, `http://127.0.0.1:${port()}/mcp`)).rejects.toMatchObject({
      status: 400,
      code: "egress_blocked",
      message: expect.stringContaining("(private)"),
    });
    expect(mcp.counters.httpRequests).toBe(before);
  });

  it("refuses a name that resolves to loopback when the connection resolves it: 424 egress_blocked", async () => {
    const before = mcp.counters.httpRequests;
    await expect(respondVia(guarded, `http://localhost:${port()}/mcp`)).rejects.toMatchObject({
      status: 424,
      code: "egress_blocked",
      param: "tools",
      message: expect.stringMatching(
        /Error retrieving tool list from MCP server: 'local'\. Reason: server_url host 'localhost' resolves to (127\.0\.0\.1|::1), which the egress policy blocks \(private\)\. \(server_url http:\/\/localhost:\d+\/<redacted>\)$/,
      ),
    });
    expect(mcp.counters.httpRequests).toBe(before);
  });

  it("lets allow_cidrs open loopback again, by name and by address", async () => {
    for (const host of ["localhost", "127.0.0.1"]) {
      model.enqueue({ text: "ok" });
      const response = await respondVia(opened, `http://${host}:${port()}/mcp`);
      expect(response.output[0]?.type).toBe("mcp_list_tools");
    }
  });
});

describe("egress policy for registry servers' remotes (a third party chose the URL)", () => {
  let registry: RegistryFixture;
  let guarded: TestPatchbay;
  let opened: TestPatchbay;
  const USER = "sk-user-registry-egress";
  const local = "mcp::egress::io.test/local";
  const metadata = "mcp::egress::io.test/metadata";
  const respondVia = (target: TestPatchbay, connectorId: string) =>
    target.client.responses.create({
      model: "m",
      input: "x",
      tools: [
        {
          type: "mcp",
          server_label: "registry",
          connector_id: connectorId as "connector_dropbox",
          require_approval: "never",
        },
      ],
    });
  const liveTools = async (target: TestPatchbay, connectorId: string) => {
    const answer = await fetch(
      `${target.baseURL}/connectors/${encodeURIComponent(connectorId)}/tools`,
      { headers: { authorization: `Bearer ${USER}` } },
    );
    return { status: answer.status, text: await answer.text() };
  };

  beforeAll(async () => {
    registry = await startRegistryFixture({
      servers: [
        fixtureEntry("io.test/local", { remotes: [{ type: "streamable-http", url: mcp.url }] }),
        fixtureEntry("io.test/metadata", {
          remotes: [{ type: "streamable-http", url: "http://169.254.169.254/mcp" }],
        }),
      ],
    });
    const configure = (allowCidrs: string[], blockPrivate: boolean) => (config: PatchbayConfig) => {
      config.server.apiKeys = adminAndUserKeys("sk-admin-registry-egress", USER);
      config.server.mcp.egress = { denyCidrs: [], allowCidrs, blockPrivate };
      config.registries.push(registryConfig("egress", registry.url));
      config.connectors.push(
        connectorConfig("admin_local", mcp.url, { transport: "streamable-http" }),
      );
    };
    guarded = await startPatchbay({ modelUrl: model.url, configure: configure([], true) });
    opened = await startPatchbay({
      modelUrl: model.url,
      configure: configure(["127.0.0.0/8", "::1/128"], false),
    });
  });
  afterAll(async () => {
    await guarded.close();
    await opened.close();
    await registry.close();
  });

  it("blocks a loopback remote under block_private: 424 egress_blocked, nothing sent", async () => {
    const before = mcp.counters.httpRequests;
    await expect(respondVia(guarded, local)).rejects.toMatchObject({
      status: 424,
      code: "egress_blocked",
      message: expect.stringContaining(`(connector_id '${local}')`),
    });
    const tools = await liveTools(guarded, local);
    expect(tools.status).toBe(502);
    expect(tools.text).toContain("egress policy blocks");
    expect(mcp.counters.httpRequests).toBe(before);
  });

  it("leaves config and admin connectors on the same address alone", async () => {
    expect((await liveTools(guarded, "admin_local")).status).toBe(200);
  });

  it("lets allow_cidrs open a registry remote", async () => {
    model.enqueue({ text: "ok" });
    const response = await respondVia(opened, local);
    expect(response.output[0]?.type).toBe("mcp_list_tools");
    expect((await liveTools(opened, local)).status).toBe(200);
  });

  it("always blocks a cloud-metadata remote, even with block_private off", async () => {
    await expect(respondVia(opened, metadata)).rejects.toMatchObject({
      status: 424,
      code: "egress_blocked",
      message: expect.stringContaining("(metadata)"),
    });
  });
});
