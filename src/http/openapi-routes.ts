/**
 * `GET /openapi.json` (issue 6 item 5): open like the other operational routes, so tools can
 * discover the API before holding a key. The document is built once, when the app is created.
 */
import { Hono } from "hono";
import { readPackageVersion } from "../lib/read-package-version.js";
import type { AppEnv } from "./app-env.js";
import { buildOpenApiDocument } from "./openapi-document.js";

export function openApiRoutes(): Hono<AppEnv> {
  const document = buildOpenApiDocument({ version: readPackageVersion() });
  const routes = new Hono<AppEnv>();
  routes.get("/openapi.json", (c) => c.json(document));
  return routes;
}
