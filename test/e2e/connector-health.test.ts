/**
 * Connector health and probes (issue 15 §3) and per-connector MCP metrics (issue 12 §4), end to
 * end with real peers on loopback: an SDK MCP server wanting a bearer token, a port nobody listens
 * on, and the registry fixture whose server's remote the egress policy refuses; then probes and
 * listings against every MCP peer (SDK 1.x on both transports, SDK 2.x stateless, server-everything).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { adminAndUserKeys, connectorConfig, registryConfig } from "../support/config-entries.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import { mcpPeers, type McpPeer } from "../support/mcp-peers.js";
import {
  fixtureEntry,
  startRegistryFixture,
  type RegistryFixture,
} from "../support/registry-fixture-server.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { unreachableUrl } from "../support/stub-http-peers.js";

const TOKEN = "probe-secret-4c1d9e";
const ADMIN = "admin-key";
const USER = "user-key";
const REGISTRY_CONNECTOR = "mcp::test::io.test/blocked";

let model: ScriptedModel;
let mcp: McpFixture;
let registry: RegistryFixture;
let patchbay: TestPatchbay;

const HealthSchema = z.strictObject({
  status: z.enum(["ok", "degraded", "unreachable", "auth_required", "unknown"]),
  checked_at: z.string().nullable(),
  latency_ms: z.number().nullable(),
  protocol_revision: z.string().nullable(),
  last_error: z.string().nullable(),
  last_error_at: z.string().nullable(),
});
const WithHealthSchema = z.looseObject({ health: HealthSchema });
const ProbeSchema = z.strictObject({
  object: z.literal("connector.probe"),
  connector_id: z.string(),
  tool_count: z.number().nullable(),
  health: HealthSchema,
});

async function call(method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${patchbay.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text() };
}

async function userHealth(connectorId: string) {
  const answer = await call("GET", `/v1/connectors/${encodeURIComponent(connectorId)}`, USER);
  expect(answer.status).toBe(200);
  return WithHealthSchema.parse(JSON.parse(answer.text)).health;
}

async function probe(connectorId: string, body: unknown, key = ADMIN) {
  return call("POST", `/v1/admin/connectors/${encodeURIComponent(connectorId)}/probe`, key, body);
}

beforeAll(async () => {
  model = await startScriptedModel();
  mcp = await startMcpFixture({ transport: "streamable-http", requireBearer: TOKEN });
  const gone = await unreachableUrl();
  registry = await startRegistryFixture({
    servers: [
      fixtureEntry("io.test/blocked", { remotes: [{ type: "streamable-http", url: mcp.url }] }),
    ],
  });
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.server.apiKeys = adminAndUserKeys(ADMIN, USER);
      config.server.mcp.egress.blockPrivate = true;
      config.connectors.push(
        connectorConfig("tools", mcp.url),
        connectorConfig("locked", mcp.url),
        connectorConfig("gone", gone),
      );
      config.registries.push(registryConfig("test", registry.url));
    },
  });
  const sync = await call("POST", "/v1/admin/mcp_registries/test/sync", ADMIN);
  expect(sync.status).toBe(200);
});
afterAll(async () => {
  await patchbay.close();
  await registry.close();
  await mcp.close();
  await model.close();
});

describe("connector health from traffic", () => {
  it("is unknown before Patchbay talked to the server", async () => {
    expect(await userHealth("tools")).toEqual({
      status: "unknown",
      checked_at: null,
      latency_ms: null,
      protocol_revision: null,
      last_error: null,
      last_error_at: null,
    });
  });

  it("is ok with the negotiated revision after a listing, degraded after a failure", async () => {
    const list = (token: string) =>
      fetch(`${patchbay.url}/v1/connectors/tools/tools`, {
        headers: { authorization: `Bearer ${USER}`, "X-Connector-Authorization": token },
      });
    expect((await list(TOKEN)).status).toBe(200);
    const ok = await userHealth("tools");
    expect(ok).toMatchObject({ status: "ok", last_error: null, last_error_at: null });
    expect(ok.protocol_revision).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await list("wrong-token")).status).toBe(401);
    expect((await userHealth("tools")).status).toBe("auth_required");
    expect((await list(TOKEN)).status).toBe(200);
    const health = await userHealth("tools");
    expect(health.status).toBe("degraded");
    expect(health.protocol_revision).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(health.latency_ms).toBeGreaterThanOrEqual(0);
    expect(Date.parse(health.checked_at ?? "")).not.toBeNaN();
    expect(health.last_error).toContain("401");
  });

  it("is auth_required after the server refused the caller, in the admin view too", async () => {
    expect((await call("GET", "/v1/connectors/locked/tools", USER)).status).toBe(401);
    expect((await userHealth("locked")).status).toBe("auth_required");
    const admin = await call("GET", "/v1/admin/connectors/locked", ADMIN);
    expect(WithHealthSchema.parse(JSON.parse(admin.text)).health.status).toBe("auth_required");
    const list = z
      .looseObject({ data: z.array(z.looseObject({ id: z.string(), health: HealthSchema })) })
      .parse(JSON.parse((await call("GET", "/v1/admin/connectors", ADMIN)).text));
    expect(list.data.find((entry) => entry.id === "locked")?.health.status).toBe("auth_required");
  });

  it("is unreachable when nobody listens", async () => {
    expect((await call("GET", "/v1/connectors/gone/tools", USER)).status).toBe(502);
    const health = await userHealth("gone");
    expect(health.status).toBe("unreachable");
    expect(health.last_error).toContain("connection failed");
    expect(health.protocol_revision).toBeNull();
  });
});

describe("POST /v1/admin/connectors/{id}/probe", () => {
  it("lists tools on a fresh session with the token, never calls one, and keeps nothing", async () => {
    const before = { ...mcp.counters };
    const pooled = mcp.openSessions;
    const answer = await probe("locked", { token: TOKEN });
    expect(answer.status).toBe(200);
    const found = ProbeSchema.parse(JSON.parse(answer.text));
    expect(found.connector_id).toBe("locked");
    expect(found.tool_count).toBeGreaterThan(0);
    expect(found.health.status).toBe("degraded");
    expect(found.health.protocol_revision).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(mcp.counters.initialize).toBe(before.initialize + 1);
    expect(mcp.counters.listTools).toBe(before.listTools + 1);
    expect(mcp.counters.callTool).toBe(before.callTool);
    await mcp.waitFor(() => mcp.openSessions === pooled);
    expect(answer.text).not.toContain(TOKEN);
    expect(patchbay.logs.join("\n")).not.toContain(TOKEN);
    const metrics = await (await fetch(`${patchbay.url}/metrics`)).text();
    expect(metrics).not.toContain(TOKEN);
    expect(metrics).toMatch(
      /patchbay_mcp_requests_total\{source="config",connector="locked",operation="probe",outcome="ok"\} 1/,
    );
  });

  it("reports auth_required without a token, with `{}` or no body at all", async () => {
    const found = ProbeSchema.parse(JSON.parse((await probe("locked", {})).text));
    expect(found.tool_count).toBeNull();
    expect(found.health.status).toBe("auth_required");
    const bare = await call("POST", "/v1/admin/connectors/locked/probe", ADMIN);
    expect(bare.status).toBe(200);
    expect(ProbeSchema.parse(JSON.parse(bare.text)).health.status).toBe("auth_required");
    const notJson = await fetch(`${patchbay.url}/v1/admin/connectors/locked/probe`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "text/plain" },
      body: "token",
    });
    expect(notJson.status).toBe(400);
  });

  it("obeys the egress policy for a registry server's remote", async () => {
    const before = mcp.counters.httpRequests;
    const answer = await probe(REGISTRY_CONNECTOR, { token: TOKEN });
    expect(answer.status).toBe(200);
    const found = ProbeSchema.parse(JSON.parse(answer.text));
    expect(found.tool_count).toBeNull();
    expect(found.health.status).toBe("unreachable");
    expect(found.health.last_error).toContain("egress policy blocks");
    expect(answer.text).not.toContain(TOKEN);
    expect(mcp.counters.httpRequests).toBe(before);
    expect((await userHealth(REGISTRY_CONNECTOR)).status).toBe("unreachable");
    const metrics = await (await fetch(`${patchbay.url}/metrics`)).text();
    expect(metrics).toContain('source="registry",connector="test",operation="probe"');
    expect(metrics).not.toContain("io.test/blocked");
  });

  it("is admin only, and refuses unknown body fields and ids", async () => {
    expect((await probe("tools", {}, USER)).status).toBe(403);
    const unknownField = await probe("tools", { authorization: TOKEN });
    expect(unknownField.status).toBe(400);
    expect(unknownField.text).not.toContain(TOKEN);
    expect((await probe("missing", {})).status).toBe(404);
  });
});

describe.each(mcpPeers)("health and probe against $name", (peer) => {
  let server: McpPeer;
  let own: TestPatchbay;
  const health = async (key: string) => {
    const answer = await fetch(`${own.url}/v1/connectors/peer`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return WithHealthSchema.parse(await answer.json()).health;
  };

  beforeAll(async () => {
    server = await peer.start({ requireBearer: TOKEN });
    own = await startPatchbay({
      modelUrl: model.url,
      configure: (config) => {
        config.server.apiKeys = adminAndUserKeys(ADMIN, USER);
        config.connectors.push(connectorConfig("peer", server.url, { transport: peer.transport }));
      },
    });
  });
  afterAll(async () => {
    await own.close();
    await server.close();
  });

  it("probes with the token: the negotiated revision, the tool count, never a tool call", async () => {
    const answer = await fetch(`${own.url}/v1/admin/connectors/peer/probe`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ token: TOKEN }),
    });
    expect(answer.status).toBe(200);
    const found = ProbeSchema.parse(await answer.json());
    expect(found.tool_count).toBeGreaterThan(0);
    expect(found.health).toMatchObject({ status: "ok", protocol_revision: peer.protocolRevision });
    expect(server.counters.listTools).toBe(1);
    expect(server.counters.callTool).toBe(0);
    expect(server.requestHeaders.map((headers) => headers.authorization)).toEqual(
      server.requestHeaders.map(() => `Bearer ${TOKEN}`),
    );
  });

  it("lists the connector's tools with the caller's token", async () => {
    const listed = await fetch(`${own.url}/v1/connectors/peer/tools`, {
      headers: { authorization: `Bearer ${USER}`, "X-Connector-Authorization": TOKEN },
    });
    expect(listed.status).toBe(200);
    const names = z
      .object({ data: z.array(z.looseObject({ name: z.string() })) })
      .parse(await listed.json())
      .data.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(["echo", peer.add.name]));
    expect(await health(USER)).toMatchObject({
      status: "ok",
      protocol_revision: peer.protocolRevision,
    });
  });

  it("is auth_required once the server refused a caller without the token", async () => {
    const listed = await fetch(`${own.url}/v1/connectors/peer/tools`, {
      headers: { authorization: `Bearer ${USER}` },
    });
    expect(listed.status).toBe(401);
    expect(await health(USER)).toMatchObject({ status: "auth_required" });
  });
});
