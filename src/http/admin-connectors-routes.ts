/**
 * Admin plane for connectors: create (201 + `Location`), read with `ETag`, merge-patch and delete
 * honouring `If-Match` (412 when stale). Admin key only (mounted under the admin guard).
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ConnectorAdmin } from "../connectors/connector-admin.js";
import { ConnectorIdSchema } from "../connectors/connector-ids.js";
import {
  AdminConnectorListSchema,
  AdminConnectorSchema,
  ConnectorCreateSchema,
  ConnectorDeletedSchema,
  ConnectorPatchSchema,
} from "./admin-schemas.js";
import type { AppEnv } from "./app-env.js";
import { managedObjectRoutes } from "./managed-object-routes.js";

export function adminConnectorsRoutes(admin: ConnectorAdmin): OpenAPIHono<AppEnv> {
  return managedObjectRoutes(admin, {
    idParam: "connector_id",
    idSchema: ConnectorIdSchema,
    tag: "Admin: connectors",
    noun: "connector",
    stem: "AdminConnector",
    pluralStem: "AdminConnectors",
    create: ConnectorCreateSchema,
    item: AdminConnectorSchema,
    list: AdminConnectorListSchema,
    patch: ConnectorPatchSchema,
    deleted: ConnectorDeletedSchema,
  });
}
