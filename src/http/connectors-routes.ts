/**
 * User plane of the connector catalog (PRODUCT.md §6, §8.8, §8.9): `GET /v1/connectors` (all
 * sources, filters, OpenAI list paging) and `GET /v1/connectors/{connector_id}` with the whole id
 * percent-encoded (`mcp%3A%3Apublic%3A%3Aio.github.x%2Fy`), decoded once by the router.
 */
import { Hono } from "hono";
import { z } from "zod";
import { PageLimitSchema } from "./page-limit-schema.js";
import type { ConnectorCatalog } from "../connectors/connector-catalog.js";
import { notFound } from "../errors/api-error.js";
import type { AppEnv } from "./app-env.js";
import { listPage } from "./list-page.js";

export const ListQuerySchema = z.strictObject({
  source: z.enum(["config", "api", "registry"]).optional(),
  registry_id: z.string().min(1).optional(),
  search: z.string().min(1).max(200).optional(),
  after: z.string().min(1).optional(),
  limit: PageLimitSchema,
});

export function connectorsRoutes(catalog: ConnectorCatalog): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get("/", async (c) => {
    const query = ListQuerySchema.parse(c.req.query());
    const page = await catalog.list({
      source: query.source,
      registryId: query.registry_id,
      search: query.search,
      after: query.after,
      limit: query.limit,
    });
    return c.json(listPage(page.data, page.hasMore, (connector) => connector.id));
  });

  routes.get("/:connector_id", async (c) => {
    const id = c.req.param("connector_id");
    const connector = await catalog.get(id);
    if (!connector) throw notFound("Connector", id, "connector_id");
    return c.json(connector);
  });

  return routes;
}
