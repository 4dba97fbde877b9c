/**
 * Every route group is an `OpenAPIHono` router made here (docs/decisions/0017-routes-declared-once
 * -with-zod-openapi.md): a route is one `createRoute` declaration (method, path, parameters, body,
 * responses, auth) that both validates the request and documents it in `GET /openapi.json`. A
 * failed validation is thrown as the ZodError itself, so `toApiError` turns it into OpenAI's
 * envelope exactly as for any other schema (`param` = the field's path, `unknown_parameter`,
 * `missing_required_parameter` or `invalid_value`).
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env.js";
import { rejectDeepJson } from "./json-body.js";

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw result.error;
      if (result.target === "json") rejectDeepJson(result.data);
    },
  });
}
