/**
 * The CRUD routes every managed object kind shares: list, create (201 + `ETag` + `Location`), read
 * (`ETag`), JSON merge patch and delete honouring `If-Match` (412 when stale); config objects are
 * read-only (409). Connectors and MCP registries declare these from their own schemas, then add
 * their extras. Admin key only (mounted under the admin guard).
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { ExpectedRevision } from "../store/managed-store.js";
import type { WithRevision } from "../store/managed-write.js";
import type { AppEnv } from "./app-env.js";
import { createRouter } from "./create-router.js";
import { etag, expectedRevision } from "./etag.js";
import { jsonBody, readJsonBody } from "./json-body.js";
import { listPage } from "./list-page.js";
import {
  ADMIN_KEY,
  errorResponses,
  ETAG_HEADER,
  jsonResponse,
  LOCATION_HEADER,
} from "./openapi-route-parts.js";

/** What the admin services (`ConnectorAdmin`, `RegistryAdmin`) offer the HTTP layer. */
export interface ManagedObjectAdmin<Entry, Body extends { id: string }, Deleted> {
  list(): Promise<Body[]>;
  get(id: string): Promise<WithRevision<Body>>;
  create(entry: Entry): Promise<WithRevision<Body>>;
  update(
    id: string,
    patch: Record<string, unknown>,
    expected: ExpectedRevision,
  ): Promise<WithRevision<Body>>;
  delete(id: string, expected: ExpectedRevision): Promise<Deleted>;
}

/** One managed kind: its names in the document and the schemas its routes take and answer. */
export interface ManagedKind<
  Entry,
  Item extends z.ZodType<{ id: string }>,
  Deleted extends z.ZodType,
> {
  idParam: string;
  /** The id rule, checked on the path (a 400 naming `idParam`) except by DELETE. */
  idSchema: z.ZodType<string>;
  tag: string;
  /** Singular noun for summaries, e.g. `connector`. */
  noun: string;
  /** Operation id stems, e.g. `AdminConnector` and `AdminConnectors`. */
  stem: string;
  pluralStem: string;
  create: z.ZodType<Entry>;
  item: Item;
  list: z.ZodType;
  patch: z.ZodType<Record<string, unknown>>;
  deleted: Deleted;
}

const IfMatchHeadersSchema = z.object({
  "If-Match": z.string().optional().meta({
    description: "Apply only if the object is still at this ETag (`*` matches any); else 412.",
  }),
});

export function managedObjectRoutes<
  Entry,
  Item extends z.ZodType<{ id: string }>,
  Deleted extends z.ZodType,
>(
  admin: ManagedObjectAdmin<Entry, z.output<Item>, z.output<Deleted>>,
  kind: ManagedKind<Entry, Item, Deleted>,
): OpenAPIHono<AppEnv> {
  const common = { tags: [kind.tag], security: ADMIN_KEY };
  const params = z.object({ [kind.idParam]: kind.idSchema });
  // Any id may be deleted, so an object stored before the id rules were tightened can be removed.
  const anyIdParams = z.object({ [kind.idParam]: z.string() });
  const idOf = (values: Record<string, string>): string => values[kind.idParam] ?? "";
  const conditionalWrite = "Config objects are read-only (409); a stale `If-Match` is a 412.";

  const list = createRoute({
    ...common,
    method: "get",
    path: "/",
    operationId: `list${kind.pluralStem}`,
    summary: `List every config and API ${kind.noun}`,
    responses: { 200: jsonResponse(kind.list, "All of them.") },
  });
  const create = createRoute({
    ...common,
    method: "post",
    path: "/",
    operationId: `create${kind.stem}`,
    summary: `Create a ${kind.noun}`,
    description:
      "Validated like the config file; durable before the answer; used by the very next request. Duplicate id → 409.",
    middleware: [readJsonBody],
    request: { body: jsonBody(kind.create, `The ${kind.noun}.`) },
    responses: {
      201: {
        ...jsonResponse(kind.item, "Created."),
        headers: { ...ETAG_HEADER, ...LOCATION_HEADER },
      },
      ...errorResponses(400, 409, 413),
    },
  });
  const get = createRoute({
    ...common,
    method: "get",
    path: `/{${kind.idParam}}`,
    operationId: `get${kind.stem}`,
    summary: `Retrieve a ${kind.noun}`,
    request: { params },
    responses: {
      200: { ...jsonResponse(kind.item, `The ${kind.noun}.`), headers: ETAG_HEADER },
      ...errorResponses(404),
    },
  });
  const update = createRoute({
    ...common,
    method: "patch",
    path: `/{${kind.idParam}}`,
    operationId: `update${kind.stem}`,
    summary: `Change a ${kind.noun} (JSON merge patch)`,
    description: conditionalWrite,
    middleware: [readJsonBody],
    request: {
      params,
      headers: IfMatchHeadersSchema,
      body: jsonBody(kind.patch, "RFC 7396 merge patch.", [
        "application/merge-patch+json",
        "application/json",
      ]),
    },
    responses: {
      200: { ...jsonResponse(kind.item, "The changed object."), headers: ETAG_HEADER },
      ...errorResponses(400, 404, 409, 412, 413),
    },
  });
  const remove = createRoute({
    ...common,
    method: "delete",
    path: `/{${kind.idParam}}`,
    operationId: `delete${kind.stem}`,
    summary: `Delete a ${kind.noun}`,
    description: conditionalWrite,
    request: { params: anyIdParams, headers: IfMatchHeadersSchema },
    responses: {
      200: jsonResponse(kind.deleted, "Deleted."),
      ...errorResponses(404, 409, 412),
    },
  });

  return createRouter()
    .openapi(list, async (c) =>
      c.json(
        listPage(await admin.list(), false, (body) => body.id),
        200,
      ),
    )
    .openapi(create, async (c) => {
      const created = await admin.create(c.req.valid("json"));
      c.header("etag", etag(created.revision));
      c.header(
        "location",
        `${c.req.path.replace(/\/$/, "")}/${encodeURIComponent(created.body.id)}`,
      );
      return c.json(created.body, 201);
    })
    .openapi(get, async (c) => {
      const found = await admin.get(idOf(c.req.valid("param")));
      c.header("etag", etag(found.revision));
      return c.json(found.body, 200);
    })
    .openapi(update, async (c) => {
      const updated = await admin.update(
        idOf(c.req.valid("param")),
        c.req.valid("json"),
        expectedRevision(c.req.valid("header")["If-Match"]),
      );
      c.header("etag", etag(updated.revision));
      return c.json(updated.body, 200);
    })
    .openapi(remove, async (c) =>
      c.json(
        await admin.delete(
          idOf(c.req.valid("param")),
          expectedRevision(c.req.valid("header")["If-Match"]),
        ),
        200,
      ),
    );
}
