/**
 * `GET /openapi.json` and `GET /docs` against the real runtime: the document is valid OpenAPI 3.1
 * (checked against the official schema), served without a key, and complete: every route the app
 * mounts is documented, and every documented route is mounted. What it says about auth and bodies
 * is checked against what the routes do. `/docs` and each asset it loads come from Patchbay.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { CreateResponseRequestSchema } from "../../src/responses/create-response-request.js";
import { adminAndUserKeys } from "../support/config-entries.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

const ADMIN_KEY = "sk-admin-openapi";
const USER_KEY = "sk-user-openapi";

interface Operation {
  operationId: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { description: string; headers?: Record<string, unknown> }>;
}

interface Document {
  openapi: string;
  info: { title: string; version: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

let model: ScriptedModel;
let patchbay: TestPatchbay;
let document: Document;

beforeAll(async () => {
  model = await startScriptedModel();
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.server.apiKeys = adminAndUserKeys(ADMIN_KEY, USER_KEY);
    },
  });
  const response = await fetch(`${patchbay.url}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  document = (await response.json()) as Document;
});
afterAll(async () => {
  await patchbay.close();
  await model.close();
});

function operations(): { path: string; method: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );
}

/** `/v1/connectors/{connector_id}` with every parameter filled, for a real request. */
function concrete(path: string): string {
  return path.replace(/\{[^}]+\}/g, "x");
}

/** Every `$ref` value anywhere in `value`. */
function references(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(references);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "$ref" && typeof inner === "string" ? [inner] : references(inner),
  );
}

/** RFC 6901 pointer inside the document (`#/a/b~1c`), or undefined when it leads nowhere. */
function resolvePointer(pointer: string): unknown {
  let current: unknown = document;
  for (const raw of pointer.slice(2).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key))
      return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

describe("GET /openapi.json", () => {
  it("is open while the API needs a key, and carries package.json's version", async () => {
    expect((await fetch(`${patchbay.baseURL}/connectors`)).status).toBe(401);
    expect(document.openapi).toBe("3.1.0");
    expect(document.info).toMatchObject({ title: "Patchbay", version: packageJson.version });
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate({ ...document });
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("documents exactly the routes the app mounts", () => {
    const mounted = new Set(
      patchbay.runtime.app.hono.routes
        .filter((route) => route.method !== "ALL" && !route.path.includes("*"))
        .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, "{$1}")}`),
    );
    const documented = operations().map(({ path, method }) => `${method} ${path}`);
    expect(mounted.size).toBeGreaterThan(20);
    expect(documented.sort()).toEqual([...mounted].sort());
  });

  it("gives every operation a unique id, known tags, a success and described responses", () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("listMcpRegistries");
    const tags = new Set(document.tags.map((tag) => tag.name));
    for (const { path, method, operation } of operations()) {
      const where = `${method} ${path}`;
      expect(
        operation.tags.every((tag) => tags.has(tag)),
        where,
      ).toBe(true);
      const statuses = Object.keys(operation.responses);
      expect(
        statuses.some((status) => /^2\d\d$/.test(status)),
        where,
      ).toBe(true);
      expect(statuses, where).toContain("500");
      for (const response of Object.values(operation.responses)) {
        expect(response.description, where).toBeTruthy();
        expect(response.headers, where).toHaveProperty("X-Request-Id");
      }
    }
  });

  it("declares each path template parameter, and only those", () => {
    for (const { path, method, operation } of operations()) {
      const template = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const declared = (operation.parameters ?? []).flatMap((parameter) =>
        parameter.in === "path" && parameter.required ? [parameter.name] : [],
      );
      expect(declared, `${method} ${path}`).toEqual(template);
    }
  });

  it("resolves every $ref within the document and uses every component schema", () => {
    const refs = new Set(references(document));
    expect(refs.size).toBeGreaterThan(20);
    for (const ref of refs) expect(resolvePointer(ref), ref).toBeDefined();
    for (const name of Object.keys(document.components.schemas)) {
      expect(refs.has(`#/components/schemas/${name}`), name).toBe(true);
    }
  });

  it("cites no document users do not have", () => {
    expect(JSON.stringify(document)).not.toMatch(/PRODUCT\.md|§/);
  });

  it("derives query parameters from the routes' schemas", () => {
    const names = (path: string): string[] =>
      (document.paths[path]?.get?.parameters ?? []).flatMap((parameter) =>
        parameter.in === "query" ? [parameter.name] : [],
      );
    expect(names("/v1/responses/{response_id}/input_items")).toEqual(["limit", "order", "after"]);
    expect(names("/v1/connectors")).toEqual(["source", "registry_id", "search", "after", "limit"]);
  });

  it("states each route's auth level as the route enforces it", async () => {
    for (const { path, method, operation } of operations()) {
      const url = `${patchbay.url}${concrete(path)}`;
      const where = `${method} ${path}`;
      const open = operation.security.length === 0;
      const admin = operation.security.some((requirement) => requirement.bearer?.includes("admin"));
      const anonymous = await fetch(url, { method: method.toUpperCase() });
      await anonymous.body?.cancel();
      expect(anonymous.status === 401, where).toBe(!open);
      expect(Object.keys(operation.responses).includes("401"), where).toBe(!open);
      if (open) continue;
      const asUser = await fetch(url, {
        method: method.toUpperCase(),
        headers: { authorization: `Bearer ${USER_KEY}` },
      });
      await asUser.body?.cancel();
      expect(asUser.status === 403, where).toBe(admin);
      if (admin) expect(Object.keys(operation.responses), where).toContain("403");
    }
  });

  it("reads every documented body as JSON: a non-JSON body is a 400 in the envelope", async () => {
    const withBodies = operations().filter(({ operation }) => operation.requestBody);
    expect(withBodies.length).toBe(9);
    for (const { path, method } of withBodies) {
      const response = await fetch(`${patchbay.url}${concrete(path)}`, {
        method: method.toUpperCase(),
        headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "text/plain" },
        body: "hello",
      });
      const body = (await response.json()) as { error: { message: string; param: unknown } };
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(body.error.message, `${method} ${path}`).toContain("must be JSON");
    }
  });

  it("documents POST /v1/responses with the route's own strict field list", () => {
    const ref =
      document.paths["/v1/responses"]?.post?.requestBody?.content["application/json"]?.schema.$ref;
    expect(ref).toBe("#/components/schemas/CreateResponseRequest");
    const schema = resolvePointer(ref ?? "") as {
      type: string;
      additionalProperties: unknown;
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["model", "input"]);
    expect(Object.keys(schema.properties)).toEqual(Object.keys(CreateResponseRequestSchema.shape));
  });

  it("answers a documented 403 in the documented error envelope", async () => {
    const envelope = document.components.schemas.ErrorEnvelope as { required: string[] };
    const forbidden = await fetch(`${patchbay.baseURL}/admin/connectors`, {
      headers: { authorization: `Bearer ${USER_KEY}` },
    });
    expect(forbidden.status).toBe(403);
    expect(document.paths["/v1/admin/connectors"]?.get?.responses).toHaveProperty("403");
    const body = (await forbidden.json()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(body)).toEqual(envelope.required);
    expect(Object.keys(body.error ?? {}).sort()).toEqual(["code", "message", "param", "type"]);
  });
});

describe("GET /docs", () => {
  it("is an HTML page whose every script, style and icon Patchbay serves itself", async () => {
    const page = await fetch(`${patchbay.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? "");
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      const url = new URL(asset, page.url);
      expect(url.origin, asset).toBe(new URL(patchbay.url).origin);
      const response = await fetch(url);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
  });

  it("points the reference at /openapi.json and nowhere else", async () => {
    const start = await (await fetch(`${patchbay.url}/docs/assets/start.js`)).text();
    const spec = /url: "([^"]+)"/.exec(start)?.[1] ?? "";
    expect(new URL(spec, `${patchbay.url}/docs`).href).toBe(`${patchbay.url}/openapi.json`);
    expect(start).toContain("validatorUrl: null");
    expect(start).not.toMatch(/https?:/);
  });

  it("answers an unknown asset with a 404 envelope", async () => {
    const response = await fetch(`${patchbay.url}/docs/assets/..%2Fpackage.json`);
    expect(response.status).toBe(404);
    expect(await response.json()).toHaveProperty("error");
  });
});
