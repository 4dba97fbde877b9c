/**
 * Admin reads and forced sync of MCP registries (PRODUCT.md §6, §8.16): the list, one registry's
 * sync status (last success, last error, counts) and `POST …/sync`, whose failure is a 502
 * `registry_error` recorded in the status. Writes (create/patch/delete) come with the management API.
 */
import { Hono } from "hono";
import type { RegistryConfig } from "../config/patchbay-config.js";
import { ApiError, notFound } from "../errors/api-error.js";
import { RegistryError } from "../errors/registry-error.js";
import type { RegistrySyncs } from "../registries/registry-syncs.js";
import type { RegistryMirror } from "../store/registry-mirror.js";
import type { AppEnv } from "./app-env.js";

export function adminRegistriesRoutes(
  registries: RegistrySyncs,
  mirror: RegistryMirror,
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const describe = async (registry: RegistryConfig) => ({
    id: registry.id,
    object: "mcp_registry",
    name: registry.name,
    url: registry.url,
    source: "config",
    sync_interval_s: registry.syncIntervalS,
    include: registry.include,
    exclude: registry.exclude,
    status: await status(registry.id),
  });
  const status = async (registryId: string) => {
    const state = await mirror.getSyncState(registryId);
    const counts = await mirror.counts(registryId);
    return {
      last_success_at: state?.lastSuccessAt ?? null,
      last_attempt_at: state?.lastAttemptAt ?? null,
      last_error: state?.lastError ?? null,
      servers: counts.servers,
      versions: counts.versions,
      skipped: state?.skipped ?? 0,
    };
  };
  const find = (registryId: string) => {
    const sync = registries.get(registryId);
    if (!sync) throw notFound("MCP registry", registryId, "registry_id");
    return sync;
  };

  routes.get("/", async (c) => {
    const data = await Promise.all(registries.list().map((sync) => describe(sync.registry)));
    return c.json({
      object: "list",
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: false,
    });
  });
  routes.get("/:registry_id", async (c) =>
    c.json(await describe(find(c.req.param("registry_id")).registry)),
  );
  routes.get("/:registry_id/status", async (c) => {
    const sync = find(c.req.param("registry_id"));
    return c.json({
      id: sync.registry.id,
      object: "mcp_registry.status",
      ...(await status(sync.registry.id)),
    });
  });
  routes.post("/:registry_id/sync", async (c) => {
    const sync = find(c.req.param("registry_id"));
    try {
      const result = await sync.syncNow(c.req.raw.signal);
      return c.json({
        id: sync.registry.id,
        object: "mcp_registry.sync",
        mode: result.mode,
        upserted: result.upserted,
        deleted: result.deleted,
        skipped: result.skipped,
        servers: result.servers,
        versions: result.versions,
      });
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      throw new ApiError({
        status: 502,
        type: "server_error",
        code: "registry_error",
        message: `Sync of registry '${sync.registry.id}' failed: ${error.message}`,
        cause: error,
      });
    }
  });
  return routes;
}
