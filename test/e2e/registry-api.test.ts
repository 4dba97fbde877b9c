/**
 * Patchbay's catalog served as an MCP Registry (issue 15 §4), end to end: Patchbay A serves its
 * config, admin and registry connectors at `/v0.1`; every answer is checked against the official
 * registry OpenAPI document's schemas; Patchbay B's registry client, pointed at A, mirrors the
 * same catalog (same names, same remotes) and calls a tool through it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminAndUserKeys, connectorConfig, registryConfig } from "../support/config-entries.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import {
  fixtureEntry,
  loadRegistrySeed,
  startRegistryFixture,
  type RegistryFixture,
} from "../support/registry-fixture-server.js";
import { registrySchemas, schemaErrors } from "../support/registry-openapi-schemas.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

const ADMIN_KEY = "sk-admin-registry-api";
const USER_KEY = "sk-user-registry-api";
const SECRETS = ["admin-header-secret", "query-secret", "upstream-secret-value", ADMIN_KEY];
const PATCHBAY_META = "dev.patchbay/connector";
const OFFICIAL_META = "io.modelcontextprotocol.registry/official";

interface ServerResponse {
  server: {
    name: string;
    version: string;
    description: string;
    title?: string;
    remotes: Array<{ type: string; url: string; headers?: Array<Record<string, unknown>> }>;
  };
  _meta: {
    [OFFICIAL_META]: { status: string; statusMessage?: string; isLatest: boolean };
    [PATCHBAY_META]: { connector_id: string; source: string; registry_id: string | null };
  };
}
interface ServerList {
  servers: ServerResponse[];
  metadata: { nextCursor?: string; count: number };
}

let model: ScriptedModel;
let alpha: McpFixture;
let legacy: McpFixture;
let upstream: RegistryFixture;
let second: RegistryFixture;
let a: TestPatchbay;
let b: TestPatchbay;

async function get(
  patchbay: TestPatchbay,
  path: string,
  key: string | null = USER_KEY,
): Promise<{ status: number; type: string; body: unknown }> {
  const response = await fetch(`${patchbay.url}${path}`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
  const text = await response.text();
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    body: JSON.parse(text) as unknown,
  };
}

/** A `ServerList` answer, checked against the official schema. */
async function list(patchbay: TestPatchbay, path: string, key?: string | null) {
  const { status, body } = await get(patchbay, path, key);
  expect(status).toBe(200);
  expect(schemaErrors(registrySchemas.serverList, body)).toEqual([]);
  return body as ServerList;
}

/** Every server, walked page by page with the cursors. */
async function listAll(patchbay: TestPatchbay, limit = 100, key?: string | null) {
  const servers: ServerResponse[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor !== undefined) query.set("cursor", cursor);
    const page = await list(patchbay, `/v0.1/servers?${query.toString()}`, key);
    expect(page.metadata.count).toBe(page.servers.length);
    servers.push(...page.servers);
    cursor = page.metadata.nextCursor;
  } while (cursor !== undefined);
  return servers;
}

const served = (servers: ServerResponse[], name: string) =>
  servers.find((entry) => entry.server.name === name);

beforeAll(async () => {
  model = await startScriptedModel();
  alpha = await startMcpFixture({ transport: "streamable-http" });
  legacy = await startMcpFixture({ transport: "sse" });
  upstream = await startRegistryFixture({
    servers: [
      ...loadRegistrySeed(),
      ...Array.from({ length: 45 }, (_, index) =>
        fixtureEntry(`io.test.bulk/server-${String(index).padStart(2, "0")}`, {
          remotes: [{ type: "streamable-http", url: `https://bulk-${index}.example/mcp` }],
        }),
      ),
      fixtureEntry("io.test/shared", {
        title: "Shared server",
        remotes: [
          {
            type: "streamable-http",
            url: alpha.url,
            headers: [
              {
                name: "X-Api-Key",
                isRequired: true,
                isSecret: true,
                value: "upstream-secret-value",
              },
              { name: "X-Tenant", value: "acme" },
            ],
          },
        ],
      }),
      fixtureEntry("io.test/old", {
        status: "deprecated",
        statusMessage: "use io.test/shared",
        remotes: [{ type: "streamable-http", url: alpha.url }],
      }),
      fixtureEntry("io.test/packages-only", {
        packages: [
          { registryType: "npm", identifier: "x", version: "1.0.0", transport: { type: "stdio" } },
        ],
      }),
      fixtureEntry("local.patchbay/alpha", {
        remotes: [{ type: "streamable-http", url: "https://impostor.example/mcp" }],
      }),
    ],
  });
  second = await startRegistryFixture({
    servers: [
      fixtureEntry("io.test/shared", {
        remotes: [{ type: "sse", url: legacy.sseUrl }],
      }),
    ],
  });
  a = await startPatchbay({
    modelUrl: model.url,
    apiKey: ADMIN_KEY,
    configure: (config) => {
      config.server.apiKeys = adminAndUserKeys(ADMIN_KEY, USER_KEY);
      config.connectors.push(
        connectorConfig("alpha", `${alpha.url}?token=query-secret`, {
          serverLabel: "Alpha",
          description: "The alpha MCP server",
          headers: { Authorization: "Bearer admin-header-secret" },
        }),
        connectorConfig("team/legacy:v1", legacy.sseUrl, { transport: "sse" }),
      );
      config.registries.push(
        registryConfig("test", upstream.url),
        registryConfig("zz-second", second.url),
      );
    },
  });
  for (const id of ["test", "zz-second"]) {
    const synced = await fetch(`${a.baseURL}/admin/mcp_registries/${id}/sync`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(synced.status).toBe(200);
  }
  const created = await fetch(`${a.baseURL}/admin/connectors`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({
      connector_id: "gamma",
      url: alpha.url,
      description: "x".repeat(150),
      headers: { "X-Key": "admin-header-secret" },
    }),
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await b?.close();
  await a?.close();
  await Promise.all([upstream?.close(), second?.close(), alpha?.close(), legacy?.close()]);
  await model?.close();
});

describe("Patchbay's catalog at /v0.1", () => {
  it("serves every usable connector once, under registry names, with the connector id in _meta", async () => {
    const servers = await listAll(a);
    const names = servers.map((entry) => entry.server.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(names);
    expect(served(servers, "local.patchbay/alpha")).toMatchObject({
      server: {
        description: "The alpha MCP server",
        title: "Alpha",
        version: "1.0.0",
        remotes: [{ type: "streamable-http", url: alpha.url }],
      },
      _meta: {
        [OFFICIAL_META]: { status: "active", isLatest: true },
        [PATCHBAY_META]: { connector_id: "alpha", source: "config", registry_id: null },
      },
    });
    const legacyServed = servers.find(
      (entry) => entry._meta[PATCHBAY_META].connector_id === "team/legacy:v1",
    );
    expect(legacyServed?.server.name).toMatch(/^local\.patchbay\/team_legacy_v1-[0-9a-f]{8}$/);
    expect(legacyServed?.server.remotes).toEqual([{ type: "sse", url: legacy.sseUrl }]);
    const gamma = served(servers, "local.patchbay/gamma");
    expect(gamma?._meta[PATCHBAY_META].source).toBe("api");
    expect(gamma?.server.description).toHaveLength(100);
    expect(gamma?.server.remotes).toEqual([{ type: "streamable-http", url: alpha.url }]);
  });

  it("serves registry servers under their upstream names, one name from two registries twice", async () => {
    const servers = await listAll(a);
    expect(served(servers, "io.test/shared")).toMatchObject({
      server: {
        title: "Shared server",
        remotes: [
          {
            url: alpha.url,
            headers: [
              { name: "X-Api-Key", isRequired: true, isSecret: true },
              { name: "X-Tenant", value: "acme" },
            ],
          },
        ],
      },
      _meta: {
        [PATCHBAY_META]: { connector_id: "mcp::test::io.test/shared", registry_id: "test" },
      },
    });
    expect(served(servers, "io.test/shared--zz-second")).toMatchObject({
      server: { remotes: [{ type: "sse", url: legacy.sseUrl }] },
      _meta: { [PATCHBAY_META]: { connector_id: "mcp::zz-second::io.test/shared" } },
    });
    expect(served(servers, "io.test/old")?._meta[OFFICIAL_META]).toMatchObject({
      status: "deprecated",
      statusMessage: "use io.test/shared",
    });
    expect(served(servers, "io.test/packages-only")).toBeUndefined();
    // The config connector keeps its name; the upstream server of the same name is set apart.
    expect(served(servers, "local.patchbay/alpha--test")?.server.remotes[0]?.url).toBe(
      "https://impostor.example/mcp",
    );
    // The one seed server with remotes (two SSE endpoints) comes as the registry published it.
    expect(served(servers, "com.cloudflare/mcp-server-cloudflare")?.server.remotes).toEqual([
      { type: "sse", url: "https://observability.mcp.cloudflare.com/sse" },
      { type: "sse", url: "https://bindings.mcp.cloudflare.com/sse" },
    ]);
    expect(servers.filter((entry) => entry.server.name.startsWith("io.test.bulk/"))).toHaveLength(
      45,
    );
  });

  it("pages with opaque cursors: small pages walk the same catalog as one big page", async () => {
    const whole = await list(a, "/v0.1/servers?limit=100");
    const all = await listAll(a);
    const small = await listAll(a, 7);
    expect(small.map((entry) => entry.server.name)).toEqual(all.map((entry) => entry.server.name));
    expect(whole.servers).toEqual(all.slice(0, 100));
    const defaulted = await list(a, "/v0.1/servers");
    expect(defaulted.servers).toHaveLength(30);
    expect(defaulted.metadata.nextCursor).toBe(
      `${defaulted.servers[29]?.server.name}:${defaulted.servers[29]?.server.version}`,
    );
  });

  it("filters by search, version and updated_since as the official registry does", async () => {
    const searched = await list(a, "/v0.1/servers?search=IO.TEST%2F&limit=100");
    // `io.test.bulk/…` does not hold `io.test/`.
    expect(searched.servers.map((entry) => entry.server.name)).toEqual([
      "io.test/old",
      "io.test/shared",
      "io.test/shared--zz-second",
    ]);
    expect((await list(a, "/v0.1/servers?search=io.test/&version=latest")).servers).toHaveLength(3);
    expect(
      (await list(a, "/v0.1/servers?search=local.patchbay&version=1.0.0")).servers.length,
    ).toBeGreaterThanOrEqual(3);
    expect((await list(a, "/v0.1/servers?version=9.9.9")).servers).toEqual([]);
    const future = await list(a, "/v0.1/servers?updated_since=2999-01-01T00:00:00Z");
    expect(future).toEqual({ servers: [], metadata: { count: 0 } });
    const since = await list(a, "/v0.1/servers?updated_since=2025-09-29T00:00:00Z&limit=100");
    expect(served(since.servers, "local.patchbay/alpha")).toBeDefined();
    expect(served(since.servers, "io.test/shared")).toBeDefined();
  });

  it("answers one server's versions, one version and latest; a miss is the registry's 404", async () => {
    const versions = await list(a, "/v0.1/servers/local.patchbay%2Falpha/versions");
    expect(versions.servers.map((entry) => entry.server.version)).toEqual(["1.0.0"]);
    for (const version of ["latest", "1.0.0"]) {
      const { status, body } = await get(a, `/v0.1/servers/io.test%2Fshared/versions/${version}`);
      expect(status).toBe(200);
      expect(schemaErrors(registrySchemas.serverResponse, body)).toEqual([]);
      expect((body as ServerResponse).server.name).toBe("io.test/shared");
    }
    const missingVersion = await get(a, "/v0.1/servers/io.test%2Fshared/versions/0.0.1");
    expect(missingVersion.status).toBe(404);
    expect(missingVersion.type).toContain("application/problem+json");
    expect(schemaErrors(registrySchemas.versionNotFound, missingVersion.body)).toEqual([]);
    expect(missingVersion.body).toMatchObject({ title: "Not Found", status: 404 });
    const missingServer = await get(a, "/v0.1/servers/io.test%2Fnone/versions");
    expect(missingServer.status).toBe(404);
    expect(schemaErrors(registrySchemas.serverNotFound, missingServer.body)).toEqual([]);
    const packagesOnly = await get(a, "/v0.1/servers/io.test%2Fpackages-only/versions/latest");
    expect(packagesOnly.status).toBe(404);
  });

  it("refuses bad parameters with the registry's problems, not OpenAI's envelope", async () => {
    const badSince = await get(a, "/v0.1/servers?updated_since=yesterday");
    expect(badSince).toMatchObject({ status: 400, body: { status: 400, title: "Bad Request" } });
    expect((badSince.body as { detail: string }).detail).toMatch(/Invalid updated_since format/);
    const noDeleted = await get(
      a,
      "/v0.1/servers?updated_since=2025-01-01T00:00:00Z&include_deleted=false",
    );
    expect(noDeleted.status).toBe(400);
    for (const limit of ["0", "101", "ten"]) {
      const refused = await get(a, `/v0.1/servers?limit=${limit}`);
      expect(refused).toMatchObject({
        status: 422,
        body: { title: "Unprocessable Entity", errors: [{ location: "query.limit" }] },
      });
    }
    const unknownPath = await get(a, "/v0.1/servers/io.test/shared/versions/latest");
    expect(unknownPath).toMatchObject({ status: 404, body: { status: 404 } });
    expect(unknownPath.body).not.toHaveProperty("error.type");
  });

  it("asks for a key as /v1/connectors does", async () => {
    const anonymous = await get(a, "/v0.1/servers", null);
    expect(anonymous).toMatchObject({ status: 401, body: { title: "Unauthorized", status: 401 } });
    expect(typeof (anonymous.body as { error: unknown }).error).toBe("string");
    const wrong = await get(a, "/v0.1/servers", "sk-wrong");
    expect(wrong.status).toBe(401);
    expect((await get(a, "/v0.1/servers", ADMIN_KEY)).status).toBe(200);
  });

  it("documents the routes in /openapi.json", async () => {
    const document = (await (await fetch(`${a.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/v0.1/servers",
        "/v0.1/servers/{serverName}/versions",
        "/v0.1/servers/{serverName}/versions/{version}",
      ]),
    );
    expect(Object.keys(document.paths["/v0.1/servers"]?.get?.responses ?? {})).toEqual(
      expect.arrayContaining(["200", "400", "401", "422", "500"]),
    );
  });
});

describe("Patchbay B mirroring Patchbay A's /v0.1", () => {
  it("shows the same catalog: same servers, same remotes, and calls a tool through it", async () => {
    b = await startPatchbay({
      modelUrl: model.url,
      configure: (config) => {
        config.registries.push(
          registryConfig("a", a.url, { headers: { authorization: `Bearer ${USER_KEY}` } }),
        );
      },
    });
    const synced = await fetch(`${b.baseURL}/admin/mcp_registries/a/sync`, { method: "POST" });
    expect(synced.status).toBe(200);
    expect(await synced.json()).toMatchObject({ skipped: 0 });

    const fromA = await listAll(a);
    const fromB = await listAll(b, 100, null);
    expect(fromB.map((entry) => entry.server)).toEqual(fromA.map((entry) => entry.server));
    expect(fromB.map((entry) => entry._meta[OFFICIAL_META])).toEqual(
      fromA.map((entry) => entry._meta[OFFICIAL_META]),
    );
    expect(fromB.map((entry) => entry._meta[PATCHBAY_META].connector_id)).toEqual(
      fromA.map((entry) => `mcp::a::${entry.server.name}`),
    );

    model.enqueue([
      { toolCalls: [{ name: "echo", arguments: '{"message":"via a chained registry"}' }] },
      { text: "done" },
    ]);
    const response = await b.client.responses.create({
      model: "m",
      input: "x",
      tools: [
        {
          type: "mcp",
          server_label: "alpha",
          connector_id: "mcp::a::local.patchbay/alpha" as "connector_dropbox",
          require_approval: "never",
        },
      ],
    });
    const call = response.output.find((item) => item.type === "mcp_call");
    expect(call).toMatchObject({ error: null, output: expect.stringContaining("via a chained") });
  });
});
