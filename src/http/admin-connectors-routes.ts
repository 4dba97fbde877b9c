/**
 * Admin plane for connectors: create (201 + `Location`), read with `ETag`, merge-patch and delete
 * honouring `If-Match` (412 when stale), and `POST …/probe` (issue 15 §3). Admin key only
 * (mounted under the admin guard).
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { ConnectorAdmin } from "../connectors/connector-admin.js";
import { ConnectorIdSchema } from "../connectors/connector-ids.js";
import type { ConnectorToolsDeps } from "../connectors/list-connector-tools.js";
import { probeConnector } from "../connectors/probe-connector.js";
import type { ConnectorHealthSource } from "../observability/connector-health-book.js";
import {
  AdminConnectorListSchema,
  AdminConnectorSchema,
  ConnectorCreateSchema,
  ConnectorDeletedSchema,
  ConnectorPatchSchema,
} from "./admin-schemas.js";
import type { AppEnv } from "./app-env.js";
import {
  ConnectorHealthSchema,
  ConnectorIdParamsSchema,
  ConnectorTokenSchema,
} from "./connector-schemas.js";
import { connectorCredentials } from "./connectors-routes.js";
import { optionalJsonBody, readOptionalJsonBody } from "./json-body.js";
import { managedObjectRoutes } from "./managed-object-routes.js";
import { ADMIN_KEY, errorResponses, jsonResponse } from "./openapi-route-parts.js";

const TAG = "Admin: connectors";

const ProbeBodySchema = z
  .strictObject({
    token: ConnectorTokenSchema.optional().meta({
      description:
        "A token for the MCP server, sent as `Authorization: Bearer <token>` for this probe only; never stored, logged or echoed.",
    }),
  })
  .meta({ id: "ConnectorProbeRequest" });

type ProbeBody = z.infer<typeof ProbeBodySchema>;

const ProbeSchema = z
  .strictObject({
    object: z.literal("connector.probe"),
    connector_id: z.string(),
    tool_count: z
      .number()
      .nullable()
      .meta({ description: "Tools the server listed; null when it could not be listed." }),
    health: ConnectorHealthSchema,
  })
  .meta({ id: "ConnectorProbe" });

const probe = createRoute({
  tags: [TAG],
  security: ADMIN_KEY,
  method: "post",
  path: "/{connector_id}/probe",
  operationId: "probeAdminConnector",
  summary: "Probe a connector's MCP server",
  description:
    "Connects on a fresh session, initializes and lists tools (never calls one), then closes it; a server that fails is a 200 whose `health` says how. Any connector id of the catalog (config, API, registry); a registry server's remote obeys the egress policy.",
  middleware: [readOptionalJsonBody],
  request: {
    params: ConnectorIdParamsSchema,
    body: optionalJsonBody(ProbeBodySchema, "An optional token; no body (or `{}`) for none."),
  },
  responses: {
    200: jsonResponse(ProbeSchema, "What the probe found."),
    ...errorResponses(400, 404, 413, 424),
  },
});

export function adminConnectorsRoutes(
  admin: ConnectorAdmin,
  probes: ConnectorToolsDeps & { health: ConnectorHealthSource },
): OpenAPIHono<AppEnv> {
  return managedObjectRoutes(admin, {
    idParam: "connector_id",
    idSchema: ConnectorIdSchema,
    tag: TAG,
    noun: "connector",
    stem: "AdminConnector",
    pluralStem: "AdminConnectors",
    create: ConnectorCreateSchema,
    item: AdminConnectorSchema,
    list: AdminConnectorListSchema,
    patch: ConnectorPatchSchema,
    deleted: ConnectorDeletedSchema,
  }).openapi(probe, async (c) => {
    const found = await probeConnector(
      probes,
      {
        connectorId: c.req.valid("param").connector_id,
        // No body at all: the validator was skipped, and there is no token.
        credentials: connectorCredentials((c.req.valid("json") as ProbeBody | undefined)?.token),
      },
      c.req.raw.signal,
    );
    return c.json(
      {
        object: "connector.probe" as const,
        connector_id: found.connectorId,
        tool_count: found.toolCount,
        health: probes.health.health(found.connectorId),
      },
      200,
    );
  });
}
