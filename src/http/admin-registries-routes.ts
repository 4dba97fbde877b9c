/**
 * Admin plane for MCP registries: create/read/merge-patch/delete with `ETag`/`If-Match`, sync
 * status, and `POST …/sync` returning counts (a failed forced sync is a 502 `registry_error`,
 * recorded in the status). Admin key only (mounted under the admin guard).
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { RegistryIdSchema } from "../connectors/connector-ids.js";
import type { RegistryAdmin } from "../registries/registry-admin.js";
import {
  AdminRegistryListSchema,
  AdminRegistrySchema,
  RegistryCreateSchema,
  RegistryDeletedSchema,
  RegistryPatchSchema,
  RegistryStatusReportSchema,
  RegistrySyncReportSchema,
} from "./admin-schemas.js";
import type { AppEnv } from "./app-env.js";
import { managedObjectRoutes } from "./managed-object-routes.js";
import { ADMIN_KEY, errorResponses, jsonResponse } from "./openapi-route-parts.js";

const TAG = "Admin: MCP registries";
const RegistryIdParamsSchema = z.object({
  registry_id: RegistryIdSchema.meta({ description: "An MCP registry id." }),
});

const getStatus = createRoute({
  tags: [TAG],
  security: ADMIN_KEY,
  method: "get",
  path: "/{registry_id}/status",
  operationId: "getMcpRegistryStatus",
  summary: "A registry's sync status",
  request: { params: RegistryIdParamsSchema },
  responses: {
    200: jsonResponse(RegistryStatusReportSchema, "The status."),
    ...errorResponses(404),
  },
});

const syncNow = createRoute({
  tags: [TAG],
  security: ADMIN_KEY,
  method: "post",
  path: "/{registry_id}/sync",
  operationId: "syncMcpRegistry",
  summary: "Sync a registry now",
  description:
    "Returns the pass's counts; a failed sync is a 502 `registry_error`, recorded in the status.",
  request: { params: RegistryIdParamsSchema },
  responses: {
    200: jsonResponse(RegistrySyncReportSchema, "The sync's counts."),
    ...errorResponses(404, 502),
  },
});

export function adminRegistriesRoutes(admin: RegistryAdmin): OpenAPIHono<AppEnv> {
  return managedObjectRoutes(admin, {
    idParam: "registry_id",
    idSchema: RegistryIdSchema,
    tag: TAG,
    noun: "MCP registry",
    stem: "McpRegistry",
    pluralStem: "McpRegistries",
    create: RegistryCreateSchema,
    item: AdminRegistrySchema,
    list: AdminRegistryListSchema,
    patch: RegistryPatchSchema,
    deleted: RegistryDeletedSchema,
  })
    .openapi(getStatus, async (c) => {
      const id = c.req.valid("param").registry_id;
      return c.json(
        { id, object: "mcp_registry.status" as const, ...(await admin.status(id)) },
        200,
      );
    })
    .openapi(syncNow, async (c) => {
      const id = c.req.valid("param").registry_id;
      const { mode, upserted, deleted, skipped, servers, versions } = await admin.sync(
        id,
        c.req.raw.signal,
      );
      const object = "mcp_registry.sync" as const;
      return c.json({ id, object, mode, upserted, deleted, skipped, servers, versions }, 200);
    });
}
