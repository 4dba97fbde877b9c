/**
 * Issue 6 "Done when": connectors and registries changed at runtime take effect on the very next
 * request and survive a restart; admin access control, read-only config objects, If-Match; and
 * 200 concurrent admin writes interleaved with 200 concurrent Responses calls.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminAndUserKeys, connectorConfig } from "../support/config-entries.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import {
  fixtureEntry,
  startRegistryFixture,
  type RegistryFixture,
} from "../support/registry-fixture-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

const ADMIN = "sk-admin-e2e";
const USER = "sk-user-e2e";
let model: ScriptedModel;
let first: McpFixture;
let second: McpFixture;
let registry: RegistryFixture;
let patchbay: TestPatchbay;
let user: OpenAI;
let home: string;

async function start(): Promise<void> {
  patchbay = await startPatchbay({
    modelUrl: model.url,
    home,
    apiKey: USER,
    configure: (config) => {
      config.server.apiKeys = adminAndUserKeys(ADMIN, USER);
      config.connectors.push(
        connectorConfig("from_config", first.url, {
          transport: "streamable-http",
          requireApproval: "never",
          timeoutMs: 5_000,
        }),
      );
    },
  });
  user = patchbay.client;
}

const api = (path: string, init: RequestInit & { key?: string | null } = {}) => {
  const headers = new Headers(init.headers);
  if (init.key !== null) headers.set("authorization", `Bearer ${init.key ?? ADMIN}`);
  if (init.body !== undefined && !headers.has("content-type"))
    headers.set("content-type", "application/json");
  return fetch(`${patchbay.baseURL}${path}`, { ...init, headers });
};
const json = async (response: Response) => ({
  status: response.status,
  etag: response.headers.get("etag"),
  body: (await response.json()) as Record<string, unknown>,
});
/** `POST /admin/connectors` as the admin. */
const createConnector = (body: Record<string, unknown>) =>
  api("/admin/connectors", { method: "POST", body: JSON.stringify(body) });

/** A user request through `connectorId`; alone (no step queued) it must fail before the model. */
const requestThrough = (connectorId: string) =>
  user.responses.create({
    model: "m",
    input: "x",
    tools: [
      {
        type: "mcp",
        server_label: "managed",
        connector_id: connectorId as "connector_dropbox",
        require_approval: "never",
      },
    ],
  });

function respondThrough(connectorId: string) {
  model.enqueue([
    { toolCalls: [{ name: "echo", arguments: '{"message":"managed"}' }] },
    { text: "ok" },
  ]);
  return requestThrough(connectorId);
}

beforeAll(async () => {
  model = await startScriptedModel();
  first = await startMcpFixture({ transport: "streamable-http" });
  second = await startMcpFixture({ transport: "streamable-http" });
  registry = await startRegistryFixture({
    servers: [
      fixtureEntry("io.test/managed", { remotes: [{ type: "streamable-http", url: second.url }] }),
    ],
  });
  home = await mkdtemp(join(tmpdir(), "patchbay-mgmt-"));
  await start();
});
afterAll(async () => {
  await patchbay.close();
  await rm(home, { recursive: true, force: true });
  await Promise.all([first.close(), second.close(), registry.close()]);
  await model.close();
});

describe("connectors at runtime", () => {
  it("create → use at once → PATCH the URL → next response reaches the new server → DELETE → unknown", async () => {
    const created = await json(
      await createConnector({
        connector_id: "runtime_one",
        url: first.url,
        transport: "streamable-http",
        headers: { "X-Admin-Key": "admin-secret" },
      }),
    );
    expect(created.status).toBe(201);
    expect(created.etag).toBe('"r1"');
    expect(created.body).toMatchObject({
      id: "runtime_one",
      source: "api",
      headers: { "X-Admin-Key": "<redacted>" },
    });

    const before = first.counters.callTool;
    expect((await respondThrough("runtime_one")).output[1]).toMatchObject({
      output: "Echo: managed",
    });
    expect(first.counters.callTool).toBe(before + 1);
    expect(first.requestHeaders.at(-1)?.["x-admin-key"]).toBe("admin-secret");

    const patched = await json(
      await api("/admin/connectors/runtime_one", {
        method: "PATCH",
        headers: { "content-type": "application/merge-patch+json", "if-match": '"r1"' },
        body: JSON.stringify({ url: second.url }),
      }),
    );
    expect(patched.status).toBe(200);
    expect(patched.etag).toBe('"r2"');
    const secondBefore = second.counters.callTool;
    await respondThrough("runtime_one");
    expect(second.counters.callTool).toBe(secondBefore + 1);

    const listed = await json(await api("/connectors?source=api", { key: USER }));
    expect((listed.body.data as Array<{ id: string }>).map((item) => item.id)).toContain(
      "runtime_one",
    );

    const deleted = await json(await api("/admin/connectors/runtime_one", { method: "DELETE" }));
    expect(deleted.body).toEqual({ id: "runtime_one", object: "connector.deleted", deleted: true });
    await expect(requestThrough("runtime_one")).rejects.toMatchObject({
      status: 400,
      code: "unknown_connector",
    });
  });

  it("validates like run.yaml and keeps ids unique and the mcp:: form reserved", async () => {
    expect(
      (await json(await createConnector({ connector_id: "bad", url: "not a url" }))).body,
    ).toMatchObject({ error: { param: "url" } });
    const statuses: Array<[Record<string, unknown>, number]> = [
      [{ connector_id: "x", url: first.url, colour: "red" }, 400],
      [{ connector_id: "mcp::a::b", url: first.url }, 400],
      [{ connector_id: "from_config", url: first.url }, 409],
      [{ connector_id: "dup", url: first.url }, 201],
      [{ name: "dup", url: first.url }, 409],
    ];
    for (const [body, status] of statuses) {
      expect((await createConnector(body)).status, JSON.stringify(body)).toBe(status);
    }
  });

  it("refuses changes to config objects (409 naming run.yaml) and stale If-Match (412)", async () => {
    const readOnly = await json(
      await api("/admin/connectors/from_config", {
        method: "PATCH",
        body: JSON.stringify({ url: second.url }),
      }),
    );
    expect(readOnly.status).toBe(409);
    expect(String((readOnly.body.error as { message: string }).message)).toContain("run.yaml");
    expect((await api("/admin/connectors/from_config", { method: "DELETE" })).status).toBe(409);

    await createConnector({ connector_id: "etagged", url: first.url });
    expect(
      (
        await api("/admin/connectors/etagged", {
          method: "PATCH",
          headers: { "if-match": '"r7"' },
          body: JSON.stringify({ description: "x" }),
        })
      ).status,
    ).toBe(412);
    expect(
      (
        await api("/admin/connectors/etagged", {
          method: "DELETE",
          headers: { "if-match": '"r9"' },
        })
      ).status,
    ).toBe(412);
    expect((await api("/admin/connectors/etagged")).status).toBe(200);
  });

  it("answers 401 without a key and 403 to a user key on every admin route", async () => {
    const routes: Array<[string, string]> = [
      ["GET", "/admin/connectors"],
      ["POST", "/admin/connectors"],
      ["GET", "/admin/connectors/dup"],
      ["PATCH", "/admin/connectors/dup"],
      ["DELETE", "/admin/connectors/dup"],
      ["GET", "/admin/mcp_registries"],
      ["POST", "/admin/mcp_registries"],
      ["GET", "/admin/mcp_registries/x"],
      ["PATCH", "/admin/mcp_registries/x"],
      ["DELETE", "/admin/mcp_registries/x"],
      ["GET", "/admin/mcp_registries/x/status"],
      ["POST", "/admin/mcp_registries/x/sync"],
    ];
    for (const [method, path] of routes) {
      const body = method === "POST" || method === "PATCH" ? "{}" : undefined;
      expect(
        (await api(path, { method, key: null, ...(body ? { body } : {}) })).status,
        `${method} ${path} without key`,
      ).toBe(401);
      expect(
        (await api(path, { method, key: USER, ...(body ? { body } : {}) })).status,
        `${method} ${path} with a user key`,
      ).toBe(403);
    }
  });
});

describe("what a created object's answers say about it", () => {
  it.each([
    ["/admin/connectors", { connector_id: "located/one", url: "http://127.0.0.1:9/mcp" }],
    ["/admin/mcp_registries", { id: "located", url: "http://127.0.0.1:9/v0.1/" }],
  ])("POST %s answers 201 with the Location of the created object", async (path, body) => {
    const created = await api(path, { method: "POST", body: JSON.stringify(body) });
    expect(created.status).toBe(201);
    const location = created.headers.get("location") ?? "";
    const id = ((await created.json()) as { id: string }).id;
    expect(location).toBe(`/v1${path}/${encodeURIComponent(id)}`);
    const fetched = await fetch(new URL(location, patchbay.url), {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(((await fetched.json()) as { id: string }).id).toBe(id);
    expect((await api(`${path}/${encodeURIComponent(id)}`, { method: "DELETE" })).status).toBe(200);
  });

  it("lists an API connector for users with the update time its admin view shows", async () => {
    const created = await json(
      await createConnector({ connector_id: "timed", url: "http://127.0.0.1:9/mcp" }),
    );
    expect(created.body.updated_at).toEqual(expect.any(String));
    const listed = await json(await api("/connectors?source=api", { key: USER }));
    const item = (listed.body.data as Array<{ id: string; updated_at: unknown }>).find(
      (candidate) => candidate.id === "timed",
    );
    expect(item?.updated_at).toBe(created.body.updated_at);
    const single = await json(await api("/connectors/timed", { key: USER }));
    expect(single.body.updated_at).toBe(created.body.updated_at);
    await api("/admin/connectors/timed", { method: "DELETE" });
  });
});

describe("registries at runtime", () => {
  it("add → sync → resolve mcp:: → remove → unknown", async () => {
    const created = await json(
      await api("/admin/mcp_registries", {
        method: "POST",
        body: JSON.stringify({ id: "runtime", url: `${registry.url}/v0.1/` }),
      }),
    );
    expect(created.status).toBe(201);
    const synced = await json(await api("/admin/mcp_registries/runtime/sync", { method: "POST" }));
    expect(synced.body).toMatchObject({ object: "mcp_registry.sync", servers: 1 });
    const before = second.counters.callTool;
    await respondThrough("mcp::runtime::io.test/managed");
    expect(second.counters.callTool).toBe(before + 1);
    expect((await json(await api("/admin/mcp_registries/runtime/status"))).body).toMatchObject({
      servers: 1,
      last_error: null,
    });

    const removed = await json(await api("/admin/mcp_registries/runtime", { method: "DELETE" }));
    expect(removed.body).toEqual({ id: "runtime", object: "mcp_registry.deleted", deleted: true });
    await expect(requestThrough("mcp::runtime::io.test/managed")).rejects.toMatchObject({
      status: 400,
      code: "unknown_connector",
    });
    const listing = await json(await api("/connectors?source=registry", { key: USER }));
    expect(
      (listing.body.data as Array<{ id: string }>).some((item) =>
        item.id.startsWith("mcp::runtime::"),
      ),
    ).toBe(false);
  });
});

describe("durability and concurrency", () => {
  it("200 concurrent admin writes interleaved with 200 concurrent Responses calls: no error, no lost write", async () => {
    model.enqueue(Array.from({ length: 200 }, () => ({ text: "ok" })));
    const writes = Array.from({ length: 200 }, (_, index) =>
      createConnector({
        connector_id: `bulk_${String(index).padStart(3, "0")}`,
        url: first.url,
        description: `bulk ${index}`,
      }).then((response) => response.status),
    );
    const responses = Array.from({ length: 200 }, () =>
      user.responses.create({ model: "m", input: "x" }).then((response) => response.status),
    );
    const [writeStatuses, responseStatuses] = await Promise.all([
      Promise.all(writes),
      Promise.all(responses),
    ]);
    expect(new Set(writeStatuses)).toEqual(new Set([201]));
    expect(new Set(responseStatuses)).toEqual(new Set(["completed"]));
    const listed = await json(await api("/admin/connectors"));
    const bulk = (listed.body.data as Array<{ id: string; description: string }>).filter((item) =>
      item.id.startsWith("bulk_"),
    );
    expect(bulk).toHaveLength(200);
    expect(bulk[7]).toMatchObject({ id: "bulk_007", description: "bulk 7" });
  });

  it("finds managed connectors and registries intact after a restart", async () => {
    await createConnector({ connector_id: "survivor", url: second.url });
    await api("/admin/mcp_registries", {
      method: "POST",
      body: JSON.stringify({ id: "survivor", url: registry.url }),
    });
    await patchbay.close({ keepHome: true });
    await start();
    expect((await json(await api("/admin/connectors/survivor"))).body).toMatchObject({
      source: "api",
      url: second.url,
    });
    expect((await json(await api("/admin/mcp_registries/survivor"))).body).toMatchObject({
      source: "api",
    });
    const before = second.counters.callTool;
    await respondThrough("survivor");
    expect(second.counters.callTool).toBe(before + 1);
    const synced = await json(await api("/admin/mcp_registries/survivor/sync", { method: "POST" }));
    expect(synced.status).toBe(200);
    const viaRegistry = await respondThrough("mcp::survivor::io.test/managed");
    expect(viaRegistry.output[1]).toMatchObject({ type: "mcp_call", status: "completed" });
    expect(second.counters.callTool).toBe(before + 2);
  });
});
