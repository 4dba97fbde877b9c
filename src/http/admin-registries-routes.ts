/**
 * Admin plane for MCP registries (PRODUCT.md §6, §8.10, §8.16): create/read/merge-patch/delete
 * with `ETag`/`If-Match`, sync status, and `POST …/sync` returning counts (a failed forced sync is
 * a 502 `registry_error`, recorded in the status). Admin key only.
 */
import { Hono } from "hono";
import { ApiError, notFound } from "../errors/api-error.js";
import { RegistryError } from "../errors/registry-error.js";
import type { RegistryAdmin } from "../registries/registry-admin.js";
import type { RegistrySyncs } from "../registries/registry-syncs.js";
import type { AppEnv } from "./app-env.js";
import { JsonObjectSchema } from "./admin-connectors-routes.js";
import { readJsonBody } from "./read-json-body.js";

export function adminRegistriesRoutes(
  admin: RegistryAdmin,
  registries: RegistrySyncs,
): Hono<AppEnv> {
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
  routes.get("/:registry_id", async (c) => {
    const found = await admin.get(c.req.param("registry_id"));
    c.header("etag", found.etag);
    return c.json(found.body);
  });
  routes.patch("/:registry_id", async (c) => {
    const updated = await admin.update(
      c.req.param("registry_id"),
      await readJsonBody(c, JsonObjectSchema),
      c.req.header("if-match"),
    );
    c.header("etag", updated.etag);
    return c.json(updated.body);
  });
  routes.delete("/:registry_id", async (c) =>
    c.json(await admin.delete(c.req.param("registry_id"), c.req.header("if-match"))),
  );
  routes.get("/:registry_id/status", async (c) => {
    const id = c.req.param("registry_id");
    return c.json({ id, object: "mcp_registry.status", ...(await admin.status(id)) });
  });
  routes.post("/:registry_id/sync", async (c) => {
    const id = c.req.param("registry_id");
    const sync = registries.get(id);
    if (!sync) throw notFound("MCP registry", id, "registry_id");
    try {
      const result = await sync.syncNow(c.req.raw.signal);
      const { mode, upserted, deleted, skipped, servers, versions } = result;
      return c.json({
        id,
        object: "mcp_registry.sync",
        mode,
        upserted,
        deleted,
        skipped,
        servers,
        versions,
      });
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      throw new ApiError({
        status: 502,
        type: "server_error",
        code: "registry_error",
        message: `Sync of registry '${id}' failed: ${error.message}`,
        cause: error,
      });
    }
  });
  return routes;
}
