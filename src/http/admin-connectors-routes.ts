/**
 * Admin plane for connectors (PRODUCT.md §6, §8.10): create (201), read with `ETag`, merge-patch
 * and delete honouring `If-Match` (412 when stale). Admin key only (mounted under the admin guard).
 */
import type { Hono } from "hono";
import type { ConnectorAdmin } from "../connectors/connector-admin.js";
import type { AppEnv } from "./app-env.js";
import { managedObjectRoutes } from "./managed-object-routes.js";

export function adminConnectorsRoutes(admin: ConnectorAdmin): Hono<AppEnv> {
  return managedObjectRoutes(admin, "connector_id");
}
