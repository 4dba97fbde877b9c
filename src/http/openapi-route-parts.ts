/**
 * The pieces every `createRoute` declaration is built from (docs/decisions/0017): auth levels as
 * OpenAPI `security`, JSON responses, OpenAI's error envelope per status, list pages and response
 * headers. A route states each fact once here; `buildOpenApiDocument` adds what follows from them
 * (401/403 from `security`, 500 everywhere, `X-Request-Id` on every answer).
 */
import { z } from "zod";

/** Any valid API key (user or admin). Enforced by the `/v1/*` guard in `createApp`. */
export const USER_KEY = [{ bearer: [] }];
/** An admin key (a role of the bearer scheme, OpenAPI 3.1 §4.8.30). Enforced under `/v1/admin/*`. */
export const ADMIN_KEY = [{ bearer: ["admin"] }];

/** OpenAI's error envelope, the body of every error status (STYLE.md "Errors: two tiers"). */
export const ErrorEnvelopeSchema = z
  .strictObject({
    error: z.strictObject({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string().nullable(),
    }),
  })
  .meta({
    id: "ErrorEnvelope",
    description: "OpenAI's error envelope; `param` names the offending field.",
  });

export const ERROR_DESCRIPTIONS = {
  400: "Invalid request; `param` names the field.",
  401: "Missing or unknown API key; on live tool listings, the MCP server wants a valid token.",
  403: "A user key on an admin route; on live tool listings, the MCP server refused the token.",
  404: "No such object.",
  409: "Duplicate id, or an object defined in run.yaml.",
  412: "`If-Match` names a stale revision.",
  413: "The body exceeds `server.max_body_bytes`.",
  424: "An MCP server or registry needed by the request failed.",
  429: "The model server is rate limiting (`Retry-After` passed on).",
  500: "Unexpected server fault.",
  502: "The model server, a registry or an MCP server failed.",
  503: "The server is shutting down.",
  504: "The model server or an MCP server did not answer in time.",
} as const;

export type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

interface ErrorResponse {
  description: string;
  content: { "application/json": { schema: typeof ErrorEnvelopeSchema } };
}

export function errorResponse(status: ErrorStatus): ErrorResponse {
  return {
    description: ERROR_DESCRIPTIONS[status],
    content: { "application/json": { schema: ErrorEnvelopeSchema } },
  };
}

/** The error statuses a route answers besides those its `security` implies (401, 403) and 500. */
export function errorResponses<const Status extends ErrorStatus>(
  ...statuses: Status[]
): Record<Status, ErrorResponse> {
  return Object.fromEntries(statuses.map((status) => [status, errorResponse(status)])) as Record<
    Status,
    ErrorResponse
  >;
}

/** A JSON answer; spread in `headers: ETAG_HEADER` (or others) where the route sends them. */
export function jsonResponse<Schema extends z.ZodType>(schema: Schema, description: string) {
  return { description, content: { "application/json": { schema } } };
}

interface HeaderDescription {
  description: string;
  schema: { type: "string" };
}

export const ETAG_HEADER = {
  ETag: {
    description: 'The object\'s revision (`"r<n>"`, or `"config"`); send it as `If-Match`.',
    schema: { type: "string" },
  },
} satisfies Record<string, HeaderDescription>;

export const LOCATION_HEADER = {
  Location: { description: "The URL of the created object.", schema: { type: "string" } },
} satisfies Record<string, HeaderDescription>;

/** OpenAI's list page (`{object:"list",data,first_id,last_id,has_more}`) around `item`. */
export function listOf<Item extends z.ZodType>(item: Item, id: string, description: string) {
  return z
    .strictObject({
      object: z.literal("list"),
      data: z.array(item),
      first_id: z.string().nullable(),
      last_id: z.string().nullable(),
      has_more: z.boolean(),
    })
    .meta({ id, description });
}

export function deletedObject<Kind extends string>(object: Kind, id: string) {
  return z
    .strictObject({ id: z.string(), object: z.literal(object), deleted: z.literal(true) })
    .meta({ id, description: "Confirmation of a deletion." });
}
