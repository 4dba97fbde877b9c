import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { AdminConnector } from "../connectors/connector-admin.js";
import type { ConnectorListing } from "../connectors/connector-listing.js";
import type {
  LlamaStackConnector,
  LlamaStackToolDef,
} from "../connectors/llama-stack-connector.js";
import type { ErrorEnvelope } from "../errors/api-error.js";
import type { AdminRegistry } from "../registries/registry-admin.js";
import type { SyncResult } from "../registries/registry-sync.js";
import { CreateResponseRequestSchema } from "../responses/create-response-request.js";
import type { ResponseObject } from "../responses/response-types.js";
import type { ConnectorToolItem } from "./connector-tools-routes.js";
import type {
  AdminConnectorSchema,
  AdminRegistrySchema,
  ErrorEnvelopeSchema,
  OPENAPI_COMPONENTS,
  RegistrySyncReportSchema,
} from "./openapi-components.js";
import type {
  ConnectorListingSchema,
  ConnectorToolItemSchema,
  LlamaStackConnectorSchema,
  LlamaStackToolDefSchema,
} from "./openapi-connector-schemas.js";
import { buildOpenApiDocument, ROUTE_SPECS } from "./openapi-document.js";
import type { OperationObject } from "./openapi-document-types.js";

const document = buildOpenApiDocument({ version: "9.8.7" });

function operations(): { path: string; method: string; operation: OperationObject }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );
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

describe("the OpenAPI document", () => {
  it("has OpenAPI 3.1's required top-level shape", () => {
    expect(document).toMatchObject({
      openapi: "3.1.0",
      info: { title: "Patchbay", version: "9.8.7" },
      servers: [{ url: "/" }],
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    });
    expect(Object.keys(document.paths).length).toBeGreaterThan(20);
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it("gives every operation a unique id, known tags, a success and described responses", () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
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
      for (const response of Object.values(operation.responses)) {
        const resolved = "$ref" in response ? resolvePointer(response.$ref) : response;
        expect(resolved, where).toHaveProperty("description");
      }
    }
  });

  it("declares each path template parameter, and only those", () => {
    for (const { path, method, operation } of operations()) {
      const template = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const declared = (operation.parameters ?? []).flatMap((parameter) =>
        "in" in parameter && parameter.in === "path" && parameter.required ? [parameter.name] : [],
      );
      expect(declared, `${method} ${path}`).toEqual(template);
    }
  });

  it("resolves every $ref within the document", () => {
    const refs = references(document);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of new Set(refs)) {
      expect(ref.startsWith("#/"), ref).toBe(true);
      expect(resolvePointer(ref), ref).toBeDefined();
    }
  });

  it("uses every component schema, with no JSON Schema dialect or id left inside", () => {
    const used = new Set(references(document));
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      expect(used.has(`#/components/schemas/${name}`), name).toBe(true);
      expect(schema).not.toHaveProperty("$schema");
      expect(schema).not.toHaveProperty("$id");
    }
  });

  it("states the auth level: open routes need no key, admin routes answer 401 and 403", () => {
    for (const route of ROUTE_SPECS) {
      const operation = document.paths[route.path]?.[route.method];
      const statuses = Object.keys(operation?.responses ?? {});
      expect(operation?.security, route.path).toEqual(
        route.auth === "none" ? [] : [{ bearer: [] }],
      );
      expect(statuses.includes("401"), route.path).toBe(route.auth !== "none");
      expect(statuses.includes("403"), route.path).toBe(
        route.auth === "admin" || route.errors.includes(403),
      );
    }
    expect(document.paths["/openapi.json"]?.get?.security).toEqual([]);
  });

  it("derives query parameters from the routes' zod query schemas", () => {
    const names = (path: string): string[] =>
      (document.paths[path]?.get?.parameters ?? []).flatMap((parameter) =>
        "in" in parameter && parameter.in === "query" ? [parameter.name] : [],
      );
    expect(names("/v1/responses/{response_id}/input_items")).toEqual(["limit", "order", "after"]);
    expect(names("/v1/connectors")).toEqual(["source", "registry_id", "search", "after", "limit"]);
  });
});

describe("the POST /v1/responses request schema", () => {
  const operation = document.paths["/v1/responses"]?.post;
  const ref = operation?.requestBody?.content["application/json"]?.schema.$ref ?? "";
  const schema = resolvePointer(ref) as z.core.JSONSchema.JSONSchema;

  /** The top-level subset of JSON Schema the tests need: required keys, no unknown keys. */
  function conforms(body: Record<string, unknown>): boolean {
    const known = Object.keys(schema.properties ?? {});
    const keys = Object.keys(body);
    const unknownAllowed = schema.additionalProperties !== false;
    return (
      (schema.required ?? []).every((key) => keys.includes(key)) &&
      (unknownAllowed || keys.every((key) => known.includes(key)))
    );
  }

  it("is the zod schema's own, strict, field list", () => {
    expect(ref).toBe("#/components/schemas/CreateResponseRequest");
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["model", "input"]);
    expect(Object.keys(schema.properties ?? {})).toEqual(
      Object.keys(CreateResponseRequestSchema.shape),
    );
  });

  it("accepts a valid request and rejects an unknown key, as the route does", () => {
    const valid = { model: "m", input: "hi", stream: true, metadata: { a: "b" } };
    expect(conforms(valid)).toBe(true);
    expect(CreateResponseRequestSchema.safeParse(valid).success).toBe(true);
    const unknownKey = { ...valid, frobnicate: 1 };
    expect(conforms(unknownKey)).toBe(false);
    expect(CreateResponseRequestSchema.safeParse(unknownKey).success).toBe(false);
    expect(conforms({ input: "hi" })).toBe(false);
  });
});

describe("documented response objects", () => {
  it("match the routes' TypeScript types (checked by tsc)", () => {
    expectTypeOf<z.output<typeof ErrorEnvelopeSchema>>().toEqualTypeOf<ErrorEnvelope>();
    expectTypeOf<z.output<typeof ConnectorListingSchema>>().toEqualTypeOf<ConnectorListing>();
    expectTypeOf<z.output<typeof ConnectorToolItemSchema>>().toEqualTypeOf<ConnectorToolItem>();
    expectTypeOf<z.output<typeof LlamaStackConnectorSchema>>().toEqualTypeOf<LlamaStackConnector>();
    expectTypeOf<z.output<typeof LlamaStackToolDefSchema>>().toEqualTypeOf<LlamaStackToolDef>();
    expectTypeOf<
      Omit<z.output<typeof RegistrySyncReportSchema>, "id" | "object">
    >().toEqualTypeOf<SyncResult>();
  });

  it("describe every field the admin routes send (optional filter keys aside, checked by tsc)", () => {
    expectTypeOf<AdminConnector>().toExtend<z.output<typeof AdminConnectorSchema>>();
    expectTypeOf<keyof z.output<typeof AdminConnectorSchema>>().toEqualTypeOf<
      keyof AdminConnector
    >();
    expectTypeOf<AdminRegistry>().toExtend<z.output<typeof AdminRegistrySchema>>();
    expectTypeOf<keyof z.output<typeof AdminRegistrySchema>>().toEqualTypeOf<keyof AdminRegistry>();
    type Core = "id" | "object" | "created_at" | "status" | "model";
    expectTypeOf<Pick<ResponseObject, Core>>().toEqualTypeOf<
      Pick<z.output<typeof OPENAPI_COMPONENTS.OpenAIResponse>, Core>
    >();
  });
});
