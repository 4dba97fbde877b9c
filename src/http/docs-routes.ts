/**
 * `GET /openapi.json` and the interactive reference at `GET /docs` (Swagger UI), both open like
 * the other operational routes so tools can discover the API before holding a key. Every asset of
 * `/docs` comes from the `swagger-ui-dist` package through Patchbay itself: no CDN, nothing fetched
 * from elsewhere (the spec validator badge, which calls out, is off). docs/decisions/0017.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { notFound } from "../errors/not-found-error.js";
import type { AppEnv } from "./app-env.js";
import { createRouter } from "./create-router.js";
import { jsonResponse } from "./openapi-route-parts.js";

const common = { tags: ["Operations"], security: [] };

const OpenApiDocumentSchema = z.looseObject({ openapi: z.string() }).meta({
  id: "OpenApiDocument",
  description: "This OpenAPI 3.1 document.",
});

const openApiDocument = createRoute({
  ...common,
  method: "get",
  path: "/openapi.json",
  operationId: "getOpenApiDocument",
  summary: "This OpenAPI document",
  responses: {
    200: jsonResponse(OpenApiDocumentSchema, "The OpenAPI 3.1 document."),
  },
});

const docsPage = createRoute({
  ...common,
  method: "get",
  path: "/docs",
  operationId: "getApiReference",
  summary: "Interactive API reference",
  description: "Swagger UI over `/openapi.json`, served entirely by Patchbay.",
  responses: {
    200: {
      description: "An HTML page; its scripts and styles are under `/docs/assets/`.",
      content: { "text/html": { schema: z.string().meta({ id: "HtmlPage" }) } },
    },
  },
});

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Patchbay API reference</title>
    <link rel="stylesheet" href="docs/assets/swagger-ui.css" />
    <link rel="icon" type="image/png" href="docs/assets/favicon-32x32.png" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="docs/assets/swagger-ui-bundle.js"></script>
    <script src="docs/assets/start.js"></script>
  </body>
</html>
`;

/** Relative URLs, so the page also works behind a proxy that mounts Patchbay under a prefix. */
const START_SCRIPT = `window.ui = SwaggerUIBundle({
  url: "openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
});
`;

const PACKAGE_ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

export function docsRoutes(
  document: () => z.infer<typeof OpenApiDocumentSchema>,
): OpenAPIHono<AppEnv> {
  const assets = packageAssets();
  const router = createRouter()
    .openapi(openApiDocument, (c) => c.json(document(), 200))
    .openapi(docsPage, (c) => c.html(PAGE, 200));
  router.get("/docs/assets/*", async (c) => {
    const name = c.req.path.slice("/docs/assets/".length);
    c.header("cache-control", "public, max-age=3600");
    if (name === "start.js") {
      return c.body(START_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8" });
    }
    const contentType = PACKAGE_ASSETS[name];
    if (contentType === undefined) throw notFound("Asset", name);
    return c.body(await assets(name), 200, { "content-type": contentType });
  });
  return router;
}

/** Files of `swagger-ui-dist`, read on first use and kept (about 2 MB in all). */
function packageAssets(): (name: string) => Promise<Uint8Array<ArrayBuffer>> {
  const folder = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  const cache = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
  return (name) => {
    let file = cache.get(name);
    if (file === undefined) {
      file = readFile(join(folder, name)).then((buffer) => new Uint8Array(buffer));
      cache.set(name, file);
    }
    return file;
  };
}
