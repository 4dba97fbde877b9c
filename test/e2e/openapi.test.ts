/**
 * `GET /openapi.json` against the real runtime (issue 6 item 5): served without a key, and
 * complete: every route the app mounts is documented with its method and path, and every
 * documented route is mounted, so a route added without documentation fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import type { OpenApiDocument } from "../../src/http/openapi-document-types.js";
import { adminAndUserKeys } from "../support/config-entries.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

let model: ScriptedModel;
let patchbay: TestPatchbay;

beforeAll(async () => {
  model = await startScriptedModel();
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.server.apiKeys = adminAndUserKeys("sk-admin-openapi", "sk-user-openapi");
    },
  });
});
afterAll(async () => {
  await patchbay.close();
  await model.close();
});

async function fetchDocument(): Promise<OpenApiDocument> {
  const response = await fetch(`${patchbay.url}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return (await response.json()) as OpenApiDocument;
}

/** `GET /v1/connectors/:connector_id` → `get /v1/connectors/{connector_id}` (a `{regex}` suffix dropped). */
function toOpenApiRoute(method: string, path: string): string {
  const template = path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");
  return `${method.toLowerCase()} ${template}`;
}

describe("GET /openapi.json", () => {
  it("is open while the API needs a key, and carries package.json's version", async () => {
    expect((await fetch(`${patchbay.baseURL}/connectors`)).status).toBe(401);
    const document = await fetchDocument();
    expect(document.openapi).toBe("3.1.0");
    expect(document.info).toMatchObject({ title: "Patchbay", version: packageJson.version });
  });

  it("documents exactly the routes the app mounts", async () => {
    const mounted = patchbay.runtime.app.hono.routes
      .filter((route) => route.method !== "ALL" && !route.path.includes("*"))
      .map((route) => toOpenApiRoute(route.method, route.path));
    const documented = Object.entries((await fetchDocument()).paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect(mounted.length).toBeGreaterThan(20);
    expect(new Set(mounted).size).toBe(mounted.length);
    expect([...documented].sort()).toEqual([...mounted].sort());
  });

  it("answers a documented 403 in the documented error envelope", async () => {
    const document = await fetchDocument();
    const envelope = document.components.schemas.ErrorEnvelope;
    const forbidden = await fetch(`${patchbay.baseURL}/admin/connectors`, {
      headers: { authorization: "Bearer sk-user-openapi" },
    });
    expect(forbidden.status).toBe(403);
    expect(document.paths["/v1/admin/connectors"]?.get?.responses).toHaveProperty("403");
    const body = (await forbidden.json()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(body)).toEqual(envelope?.required);
    expect(Object.keys(body.error ?? {}).sort()).toEqual(["code", "message", "param", "type"]);
  });
});
