/**
 * Secrets never persist, log or echo (PRODUCT.md §3, §7; issue 7 item 5): one run through every
 * path that carries a caller secret — MCP `authorization` and `headers` (JSON, streaming,
 * continuation, approval, background, listing failure), registry secret headers, the connector
 * tools routes (header and Llama Stack's `?authorization=`), an admin's probe token, connector
 * health and `/metrics` — then a sweep of the SQLite files (WAL included), the debug-level logs
 * and every HTTP body for each value. Admin-set connector headers must be stored (they are
 * configuration) but never echoed or logged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectorConfig, registryConfig } from "../support/config-entries.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import {
  fixtureEntry,
  startRegistryFixture,
  type RegistryFixture,
} from "../support/registry-fixture-server.js";
import { readDatabaseFiles, startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

const CALLER_SECRETS = {
  token: "sweep-TOKEN-4c1d9e",
  header: "sweep-HEADER-8b2f70",
  registryHeader: "sweep-REGHDR-19aa3c",
  toolsToken: "sweep-TOOLS-77d0e1",
  betaToken: "sweep-BETA-5e6f12",
  probeToken: "sweep-PROBE-3a7c55",
};
const ADMIN_HEADER = "sweep-ADMIN-0f9e8d";
/** A key in a config registry's URL: run.yaml holds it; no answer, log or table may. */
const CONFIG_URL_KEY = "sweep-REGURL-6d2b91";

let model: ScriptedModel;
let secured: McpFixture;
let open: McpFixture;
let registry: RegistryFixture;
let patchbay: TestPatchbay;
const bodies: string[] = [];

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(`${patchbay.url}${path}`, init);
  bodies.push(await response.clone().text());
  return response;
}
const postResponse = (body: Record<string, unknown>) =>
  call("/v1/responses", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const mcpTool = (extra: Record<string, unknown> = {}) => ({
  type: "mcp",
  server_label: "secured",
  server_url: secured.url,
  authorization: CALLER_SECRETS.token,
  headers: { "X-Api-Key": CALLER_SECRETS.header },
  require_approval: "never",
  ...extra,
});

beforeAll(async () => {
  model = await startScriptedModel();
  secured = await startMcpFixture({
    requireBearer: CALLER_SECRETS.token,
    transport: "streamable-http",
  });
  open = await startMcpFixture({ transport: "streamable-http" });
  registry = await startRegistryFixture({
    servers: [
      fixtureEntry("io.test/secret-header", {
        remotes: [
          {
            type: "streamable-http",
            url: open.url,
            headers: [{ name: "X-Registry-Key", isRequired: true, isSecret: true }],
          },
        ],
      }),
    ],
  });
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.registries.push(
        registryConfig("sweep", registry.url),
        registryConfig("keyed", `http://127.0.0.1:9/?api_key=${CONFIG_URL_KEY}`),
      );
      config.connectors.push(
        connectorConfig("tools_conn", secured.url, {
          transport: "streamable-http",
          timeoutMs: 5_000,
        }),
      );
    },
  });
  await call("/v1/admin/mcp_registries/sweep/sync", { method: "POST" });
});
afterAll(async () => {
  await patchbay.close();
  await Promise.all([secured.close(), open.close(), registry.close()]);
  await model.close();
});

describe("secrets sweep", () => {
  it("runs every secret-carrying path", async () => {
    model.enqueue([
      { toolCalls: [{ name: "echo", arguments: '{"message":"a"}' }] },
      { text: "json done" },
    ]);
    const first = (await (
      await postResponse({ model: "m", input: "x", tools: [mcpTool()] })
    ).json()) as { id: string };

    model.enqueue([
      { toolCalls: [{ name: "add", arguments: '{"a":1,"b":2}' }] },
      { text: "stream done" },
    ]);
    await (
      await postResponse({
        model: "m",
        input: "x",
        stream: true,
        previous_response_id: first.id,
        tools: [mcpTool()],
      })
    ).text();

    model.enqueue({ toolCalls: [{ name: "echo", arguments: '{"message":"approve me"}' }] });
    const asked = (await (
      await postResponse({
        model: "m",
        input: "x",
        tools: [mcpTool({ require_approval: "always" })],
      })
    ).json()) as {
      id: string;
      output: Array<{ type: string; id: string }>;
    };
    const request = asked.output.find((item) => item.type === "mcp_approval_request");
    model.enqueue({ text: "approved done" });
    await postResponse({
      model: "m",
      previous_response_id: asked.id,
      input: [{ type: "mcp_approval_response", approval_request_id: request?.id, approve: true }],
      tools: [mcpTool({ require_approval: "always" })],
    });

    model.enqueue({ text: "background done" });
    await postResponse({
      model: "m",
      input: "x",
      background: true,
      tools: [mcpTool({ server_label: "bg" })],
    });
    await patchbay.runtime.app.responses.drain();

    const failing = await postResponse({
      model: "m",
      input: "x",
      tools: [mcpTool({ server_label: "wrong", authorization: `${CALLER_SECRETS.token}-wrong` })],
    });
    expect(failing.status).toBe(424);

    model.enqueue([
      { toolCalls: [{ name: "echo", arguments: '{"message":"reg"}' }] },
      { text: "registry done" },
    ]);
    const viaRegistry = await postResponse({
      model: "m",
      input: "x",
      tools: [
        {
          type: "mcp",
          server_label: "reg",
          connector_id: "mcp::sweep::io.test/secret-header",
          headers: { "x-registry-key": CALLER_SECRETS.registryHeader },
          require_approval: "never",
        },
      ],
    });
    expect(viaRegistry.status).toBe(200);
    expect(open.requestHeaders.at(-1)?.["x-registry-key"]).toBe(CALLER_SECRETS.registryHeader);

    const tools = await call("/v1/connectors/tools_conn/tools", {
      headers: { "X-Connector-Authorization": CALLER_SECRETS.toolsToken },
    });
    expect(tools.status).toBe(401);
    const beta = await call(
      `/v1beta/connectors/tools_conn/tools?authorization=${CALLER_SECRETS.betaToken}`,
    );
    expect(beta.status).toBe(401);

    const admin = await call("/v1/admin/connectors", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        connector_id: "admin_headers",
        url: open.url,
        headers: { "X-Admin-Key": ADMIN_HEADER },
      }),
    });
    expect(admin.status).toBe(201);
    await call("/v1/admin/connectors/admin_headers");
    await call("/v1/admin/connectors");
    await call("/v1/connectors?source=api");

    const probe = await call("/v1/admin/connectors/tools_conn/probe", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: CALLER_SECRETS.probeToken }),
    });
    expect(probe.status).toBe(200);
    expect(
      (
        await call("/v1/admin/connectors/admin_headers/probe", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).status,
    ).toBe(200);
    await call("/v1/connectors/tools_conn");
    await call("/v1/connectors/admin_headers");
    await call("/v1/admin/mcp_registries");
    await call("/v1/admin/mcp_registries/keyed");
    await call("/v1/admin/mcp_registries/keyed/sync", { method: "POST" });
    await call("/metrics");
  });

  it("finds no caller secret in the database, the logs or any body, and admin headers only in the database", async () => {
    const files = await readDatabaseFiles(patchbay.home);
    const database = files.join("\n");
    const logs = patchbay.logs.join("\n");
    expect(files.length).toBeGreaterThan(0);
    expect(patchbay.logs.some((line) => line.includes('"level":20'))).toBe(true);
    for (const secret of [...Object.values(CALLER_SECRETS), CONFIG_URL_KEY]) {
      expect(database.includes(secret), `${secret} in the database`).toBe(false);
      expect(logs.includes(secret), `${secret} in the logs`).toBe(false);
      expect(
        bodies.some((body) => body.includes(secret)),
        `${secret} in a body`,
      ).toBe(false);
    }
    expect(database.includes(ADMIN_HEADER)).toBe(true);
    expect(logs.includes(ADMIN_HEADER)).toBe(false);
    expect(bodies.some((body) => body.includes(ADMIN_HEADER))).toBe(false);
  });
});
