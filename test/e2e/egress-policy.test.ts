/**
 * Egress policy end to end (PRODUCT.md §7), with loopback addresses on the deny list so no packet
 * ever leaves loopback even if the policy were broken.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectorConfig } from "../support/config-entries.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
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
