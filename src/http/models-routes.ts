/**
 * `GET /v1/models` (OpenAI's list-models route; issue 14 §4): what chat front ends and SDK helpers
 * ask first. Never an error because of a model server: one that is down is left out.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { ModelObject } from "../inference/model-catalog.js";
import type { AppEnv } from "./app-env.js";
import { createRouter } from "./create-router.js";
import { jsonResponse, USER_KEY } from "./openapi-route-parts.js";

const ModelSchema = z
  .strictObject({
    id: z.string(),
    object: z.literal("model"),
    created: z.number(),
    owned_by: z.string(),
  })
  .meta({
    id: "Model",
    description:
      "A model a provider serves; `id` is usable as `model` (prefixed `provider_id/` unless a bare name routes to it), `owned_by` is the provider id.",
  });

const ModelListSchema = z
  .strictObject({ object: z.literal("list"), data: z.array(ModelSchema) })
  .meta({ id: "ModelList", description: "Every configured provider's models." });

const listModels = createRoute({
  tags: ["Models"],
  security: USER_KEY,
  method: "get",
  path: "/",
  operationId: "listModels",
  summary: "List the models of every configured provider",
  description:
    "Each provider's `GET /models`, cached for 30 s; a provider that cannot be listed is skipped (and logged).",
  responses: { 200: jsonResponse(ModelListSchema, "The models.") },
});

export function modelsRoutes(catalog: { list(): Promise<ModelObject[]> }): OpenAPIHono<AppEnv> {
  return createRouter().openapi(listModels, async (c) =>
    c.json({ object: "list" as const, data: await catalog.list() }, 200),
  );
}
