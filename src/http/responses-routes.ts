/**
 * `/v1/responses` routes (PRODUCT.md §3; reference §4.3). Thin: parse, call the service, write
 * JSON or SSE from the same execution.
 */
import { Hono } from "hono";
import { z } from "zod";
import { PageLimitSchema } from "./page-limit-schema.js";
import { CreateResponseRequestSchema } from "../responses/create-response-request.js";
import type { ResponsesService } from "../responses/responses-service.js";
import type { AppEnv } from "./app-env.js";
import { listPage } from "./list-page.js";
import { readJsonBody } from "./read-json-body.js";
import { toSseResponse } from "./sse-response.js";
import { invalidRequest } from "../errors/api-error.js";

export const InputItemsQuerySchema = z.object({
  limit: PageLimitSchema,
  order: z.enum(["asc", "desc"]).default("desc"),
  after: z.string().min(1).optional(),
});

export function responsesRoutes(service: ResponsesService): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post("/", async (c) => {
    const request = await readJsonBody(c, CreateResponseRequestSchema);
    if (request.background) return c.json(await service.startBackground(request));
    const execution = await service.start(request, c.req.raw.signal);
    if (request.stream) return toSseResponse(execution, { "x-request-id": c.get("requestId") });
    return c.json(await execution.collect());
  });

  routes.get("/:response_id", async (c) => {
    if (c.req.query("stream") === "true") {
      throw invalidRequest("Replaying a response as a stream is not supported.", "stream");
    }
    return c.json(await service.retrieve(c.req.param("response_id")));
  });

  routes.delete("/:response_id", async (c) =>
    c.json(await service.delete(c.req.param("response_id"))),
  );

  routes.post("/:response_id/cancel", async (c) =>
    c.json(await service.cancel(c.req.param("response_id"))),
  );

  routes.get("/:response_id/input_items", async (c) => {
    const query = InputItemsQuerySchema.parse({
      limit: c.req.query("limit"),
      order: c.req.query("order"),
      after: c.req.query("after"),
    });
    const page = await service.listInputItems(c.req.param("response_id"), query);
    return c.json(listPage(page.data, page.hasMore, (item) => item.id));
  });

  return routes;
}
