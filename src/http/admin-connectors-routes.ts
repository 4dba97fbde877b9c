/**
 * Admin plane for connectors (PRODUCT.md §6, §8.10): create (201), read with `ETag`, merge-patch
 * and delete honouring `If-Match` (412 when stale). Admin key only (mounted under the admin guard).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { ConnectorAdmin } from "../connectors/connector-admin.js";
import type { AppEnv } from "./app-env.js";
import { readJsonBody } from "./read-json-body.js";

export const JsonObjectSchema = z.record(z.string(), z.unknown());

export function adminConnectorsRoutes(admin: ConnectorAdmin): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/", async (c) => {
    const data = await admin.list();
    return c.json({
      object: "list",
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: false,
    });
  });
  routes.post("/", async (c) => {
    const created = await admin.create(await readJsonBody(c, JsonObjectSchema));
    c.header("etag", created.etag);
    return c.json(created.body, 201);
  });
  routes.get("/:connector_id", async (c) => {
    const found = await admin.get(c.req.param("connector_id"));
    c.header("etag", found.etag);
    return c.json(found.body);
  });
  routes.patch("/:connector_id", async (c) => {
    const updated = await admin.update(
      c.req.param("connector_id"),
      await readJsonBody(c, JsonObjectSchema),
      c.req.header("if-match"),
    );
    c.header("etag", updated.etag);
    return c.json(updated.body);
  });
  routes.delete("/:connector_id", async (c) =>
    c.json(await admin.delete(c.req.param("connector_id"), c.req.header("if-match"))),
  );
  return routes;
}
