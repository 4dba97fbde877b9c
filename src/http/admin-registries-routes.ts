/**
 * Admin plane for MCP registries (PRODUCT.md §6, §8.10, §8.16): create/read/merge-patch/delete
 * with `ETag`/`If-Match`, sync status, and `POST …/sync` returning counts (a failed forced sync is
 * a 502 `registry_error`, recorded in the status). Admin key only.
 */
import type { Hono } from "hono";
import { ApiError, notFound } from "../errors/api-error.js";
import { RegistryError } from "../errors/registry-error.js";
import type { RegistryAdmin } from "../registries/registry-admin.js";
import type { RegistrySyncs } from "../registries/registry-syncs.js";
import type { AppEnv } from "./app-env.js";
import { managedObjectRoutes } from "./managed-object-routes.js";

export function adminRegistriesRoutes(
  admin: RegistryAdmin,
  registries: RegistrySyncs,
): Hono<AppEnv> {
  const routes = managedObjectRoutes(admin, "registry_id");
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
