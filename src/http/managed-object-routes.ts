/**
 * The CRUD routes every managed object kind shares (PRODUCT.md §6, §8.10): list, create (201 +
 * `ETag`), read (`ETag`), JSON merge patch and delete honouring `If-Match`. Connectors and MCP
 * registries mount these on their own paths, then add their extras.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./app-env.js";
import { listPage } from "./list-page.js";
import { readJsonBody } from "./read-json-body.js";

export const JsonObjectSchema = z.record(z.string(), z.unknown());

/** What the admin services (`ConnectorAdmin`, `RegistryAdmin`) offer the HTTP layer. */
export interface ManagedObjectAdmin<Body extends { id: string }> {
  list(): Promise<Body[]>;
  get(id: string): Promise<{ body: Body; etag: string }>;
  create(body: unknown): Promise<{ body: Body; etag: string }>;
  update(
    id: string,
    patch: unknown,
    ifMatch: string | undefined,
  ): Promise<{ body: Body; etag: string }>;
  delete(
    id: string,
    ifMatch: string | undefined,
  ): Promise<{ id: string; object: string; deleted: true }>;
}

export function managedObjectRoutes<Body extends { id: string }>(
  admin: ManagedObjectAdmin<Body>,
  idParam: string,
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const path = `/:${idParam}`;
  routes.get("/", async (c) => c.json(listPage(await admin.list(), false, (body) => body.id)));
  routes.post("/", async (c) => {
    const created = await admin.create(await readJsonBody(c, JsonObjectSchema));
    c.header("etag", created.etag);
    return c.json(created.body, 201);
  });
  routes.get(path, async (c) => {
    const found = await admin.get(c.req.param(idParam) ?? "");
    c.header("etag", found.etag);
    return c.json(found.body);
  });
  routes.patch(path, async (c) => {
    const updated = await admin.update(
      c.req.param(idParam) ?? "",
      await readJsonBody(c, JsonObjectSchema),
      c.req.header("if-match"),
    );
    c.header("etag", updated.etag);
    return c.json(updated.body);
  });
  routes.delete(path, async (c) =>
    c.json(await admin.delete(c.req.param(idParam) ?? "", c.req.header("if-match"))),
  );
  return routes;
}
