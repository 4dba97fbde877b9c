/**
 * Connector tools on the user plane (issue 6 item 1, PRODUCT.md §6, §8.9): live `tools/list` with
 * the caller's token, and Llama Stack's `/v1beta/connectors…` shapes checked against
 * `fixtures/llama-stack-connectors` (docs/decisions/0011). Real peers on loopback: an SDK MCP
 * server wanting a bearer token, the registry fixture with the real seed, and stub HTTP peers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { adminAndUserKeys, connectorConfig, registryConfig } from "../support/config-entries.js";
import { expectSameShape, loadJsonFixture } from "../support/expect-same-shape.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import {
  fixtureEntry,
  loadRegistrySeed,
  startRegistryFixture,
  type RegistryFixture,
} from "../support/registry-fixture-server.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import {
  startHangingPeer,
  startStatusPeer,
  unreachableUrl,
  type StubPeer,
} from "../support/stub-http-peers.js";

const TOKEN = "mcp-secret-7f3a";
const USER_KEY = "user-key";
const REGISTRY_ID = encodeURIComponent("mcp::test::io.test/tools");

let model: ScriptedModel;
let mcp: McpFixture;
let registry: RegistryFixture;
let refusing: StubPeer;
let hanging: StubPeer;
let patchbay: TestPatchbay;

const connector = (connectorId: string, url: string, timeoutMs: number | null = null) =>
  connectorConfig(connectorId, `${url}?tenant=secret-query`, {
    serverLabel: `Label ${connectorId}`,
    description: `About ${connectorId}`,
    timeoutMs,
  });

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${patchbay.url}${path}`, {
    headers: { authorization: `Bearer ${USER_KEY}`, ...headers },
  });
  return { status: response.status, body: BodySchema.parse(await response.json()) };
}
const BodySchema = z.record(z.string(), z.unknown());
const ErrorSchema = z.looseObject({ error: z.looseObject({ message: z.string() }) });
const ListSchema = z.looseObject({ data: z.array(BodySchema) });
const withToken = (token = TOKEN) => ({ "X-Connector-Authorization": token });
const errorOf = (body: unknown) => ErrorSchema.parse(body).error;
const dataOf = (body: unknown) => ListSchema.parse(body).data;
const names = (body: unknown) => dataOf(body).map((tool) => tool.name);

beforeAll(async () => {
  model = await startScriptedModel();
  mcp = await startMcpFixture({ transport: "streamable-http", requireBearer: TOKEN });
  refusing = await startStatusPeer(403);
  hanging = await startHangingPeer();
  const unreachable = await unreachableUrl();
  registry = await startRegistryFixture({
    servers: [
      ...loadRegistrySeed(),
      fixtureEntry("io.test/tools", {
        title: "Tools test server",
        remotes: [{ type: "streamable-http", url: mcp.url }],
      }),
    ],
  });
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.server.apiKeys = adminAndUserKeys("admin-key", USER_KEY);
      config.connectors.push(
        connector("tools", mcp.url),
        connector("refusing", refusing.url),
        connector("hanging", hanging.url, 300),
        connector("gone", unreachable),
      );
      config.registries.push(registryConfig("test", registry.url));
    },
  });
  const sync = await fetch(`${patchbay.baseURL}/admin/mcp_registries/test/sync`, {
    method: "POST",
    headers: { authorization: "Bearer admin-key" },
  });
  expect(sync.status).toBe(200);
});
afterAll(async () => {
  await patchbay.close();
  await Promise.all([registry.close(), mcp.close(), refusing.close(), hanging.close()]);
  await model.close();
});

describe("GET /v1/connectors/{connector_id}/tools", () => {
  it("lists the live tools with the caller's token, in OpenAI's list shape", async () => {
    const { status, body } = await get("/v1/connectors/tools/tools", withToken());
    expect(status).toBe(200);
    expect(names(body)).toEqual(["echo", "add", "get_weather", "fail", "slow", "structured"]);
    expect(body).toMatchObject({ object: "list", first_id: "echo", last_id: "structured" });
    expect(body.has_more).toBe(false);
    const data = dataOf(body);
    expect(data[0]).toEqual({
      name: "echo",
      description: "Echoes the message",
      input_schema: expect.objectContaining({ type: "object" }) as unknown,
      annotations: null,
    });
    expect(data[2]?.annotations).toEqual({ read_only: true });
    expect(mcp.requestHeaders.at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
    const prefixed = await get("/v1/connectors/tools/tools", withToken(`Bearer ${TOKEN}`));
    expect(prefixed.status).toBe(200);
    expect(mcp.requestHeaders.at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it.each([
    ["no token", {}],
    ["a wrong token", withToken("wrong")],
  ])("answers 401 when the MCP server refuses %s", async (_case, headers) => {
    const { status, body } = await get("/v1/connectors/tools/tools", headers);
    expect(status).toBe(401);
    expect(errorOf(body)).toMatchObject({
      type: "authentication_error",
      code: "connector_authentication_required",
      param: "X-Connector-Authorization",
    });
  });

  it.each([
    ["refusing", 403, "permission_error", "connector_permission_denied"],
    ["gone", 502, "external_connector_error", "connector_error"],
    ["hanging", 504, "external_connector_error", "connector_timeout"],
  ])("maps the %s server's failure to %i", async (connectorId, status, type, code) => {
    const answer = await get(`/v1/connectors/${connectorId}/tools`, withToken());
    expect(answer.status).toBe(status);
    expect(errorOf(answer.body)).toMatchObject({ type, code });
  });

  it("refuses a token in the query string without contacting the server", async () => {
    const before = mcp.counters.httpRequests;
    const { status, body } = await get(`/v1/connectors/tools/tools?authorization=${TOKEN}`);
    expect(status).toBe(400);
    expect(errorOf(body)).toMatchObject({ param: "authorization", code: "unknown_parameter" });
    expect(errorOf(body).message).toContain("X-Connector-Authorization");
    expect(mcp.counters.httpRequests).toBe(before);
  });

  it("answers 404 for an unknown connector id", async () => {
    const { status, body } = await get("/v1/connectors/nope/tools", withToken());
    expect(status).toBe(404);
    expect(errorOf(body)).toMatchObject({ type: "invalid_request_error", param: "connector_id" });
    expect(errorOf(body).message).toContain("'nope'");
  });

  it("resolves a percent-encoded registry id", async () => {
    const { status, body } = await get(`/v1/connectors/${REGISTRY_ID}/tools`, withToken());
    expect(status).toBe(200);
    expect(names(body)).toContain("echo");
  });

  it("needs a Patchbay API key like every /v1 route", async () => {
    const response = await fetch(`${patchbay.url}/v1/connectors/tools/tools`, {
      headers: withToken(),
    });
    expect(response.status).toBe(401);
  });
});

describe("/v1beta/connectors with Llama Stack's shapes", () => {
  it("lists every connector as {data:[Connector]}", async () => {
    const { status, body } = await get("/v1beta/connectors");
    expect(status).toBe(200);
    expectSameShape(body, loadJsonFixture("llama-stack-connectors/list-connectors-response.json"));
    const ids = dataOf(body).map((item) => String(item.connector_id));
    expect(ids).toEqual(expect.arrayContaining(["tools", "gone", "mcp::test::io.test/tools"]));
    expect(ids).toEqual([...ids].sort());
    expect(ids.length).toBe(await countV1Connectors());
  });

  it("gets one connector, a registry one by its percent-encoded id", async () => {
    const reference = loadJsonFixture("llama-stack-connectors/connector.json");
    const config = await get("/v1beta/connectors/tools");
    expect(config.status).toBe(200);
    expectSameShape(config.body, reference);
    expect(config.body).toEqual({
      connector_type: "mcp",
      connector_id: "tools",
      url: mcp.url,
      server_label: "Label tools",
      server_name: null,
      server_description: "About tools",
      server_version: null,
    });
    const fromRegistry = await get(`/v1beta/connectors/${REGISTRY_ID}`);
    expectSameShape(fromRegistry.body, reference);
    expect(fromRegistry.body).toMatchObject({
      connector_id: "mcp::test::io.test/tools",
      server_label: "Tools test server",
      server_name: "io.test/tools",
      server_version: "1.0.0",
    });
    expect((await get("/v1beta/connectors/nope")).status).toBe(404);
  });

  it("lists tools as {data:[ToolDef]} with ?authorization=, which never reaches the logs", async () => {
    const { status, body } = await get(`/v1beta/connectors/tools/tools?authorization=${TOKEN}`);
    expect(status).toBe(200);
    expectSameShape(body, loadJsonFixture("llama-stack-connectors/list-tools-response.json"));
    const tools = dataOf(body);
    expect(tools.map((tool) => tool.name)).toContain("structured");
    expect(tools[0]).toMatchObject({ toolgroup_id: null, metadata: { endpoint: mcp.url } });
    const structured = tools.find((tool) => tool.name === "structured");
    expect(structured?.output_schema).toMatchObject({ type: "object" });
    expect(mcp.requestHeaders.at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(patchbay.logs.join("\n")).not.toContain(TOKEN);
  });

  it("also takes the token from X-Connector-Authorization, and registry ids", async () => {
    const viaHeader = await get("/v1beta/connectors/tools/tools", withToken());
    expect(viaHeader.status).toBe(200);
    const encoded = await get(`/v1beta/connectors/${REGISTRY_ID}/tools?authorization=${TOKEN}`);
    expect(encoded.status).toBe(200);
    expect(names(encoded.body)).toContain("echo");
  });

  it("gets one tool as a ToolDef, 404 for a tool the server does not have", async () => {
    const { status, body } = await get(
      `/v1beta/connectors/tools/tools/echo?authorization=${TOKEN}`,
    );
    expect(status).toBe(200);
    expectSameShape(body, loadJsonFixture("llama-stack-connectors/tool-def.json"));
    expect(body).toMatchObject({ name: "echo", description: "Echoes the message" });
    const missing = await get(`/v1beta/connectors/tools/tools/nope?authorization=${TOKEN}`);
    expect(missing.status).toBe(404);
    expect(errorOf(missing.body).param).toBe("tool_name");
  });

  it.each([
    ["/v1beta/connectors/nope/tools", 404],
    ["/v1beta/connectors/tools/tools", 401],
    ["/v1beta/connectors/tools/tools?authorization=wrong", 401],
    ["/v1beta/connectors/gone/tools?authorization=x", 502],
    ["/v1beta/connectors/hanging/tools/echo?authorization=x", 504],
    ["/v1beta/connectors/tools/tools?authorization=sekret%0D%0AX-Injected:%201", 400],
  ])("maps failures like Llama Stack: %s → %i", async (path, expected) => {
    const { status, body } = await get(path);
    expect(status).toBe(expected);
    expect(errorOf(body).message).not.toBe("");
    expect(JSON.stringify(body)).not.toMatch(/sekret|secret-query/);
  });

  it("needs a Patchbay API key", async () => {
    const response = await fetch(`${patchbay.url}/v1beta/connectors`);
    expect(response.status).toBe(401);
  });
});

/** Walks `GET /v1/connectors` page by page: the /v1beta list must hold the same connectors. */
async function countV1Connectors(): Promise<number> {
  let count = 0;
  let after: string | null = null;
  for (;;) {
    const query: string = after === null ? "" : `&after=${encodeURIComponent(after)}`;
    const { body } = await get(`/v1/connectors?limit=100${query}`);
    count += dataOf(body).length;
    if (body.has_more !== true) return count;
    after = typeof body.last_id === "string" ? body.last_id : null;
  }
}
