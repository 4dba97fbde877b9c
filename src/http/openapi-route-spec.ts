/**
 * The declarative shape of one documented route (issue 6 item 5): what `buildOpenApiDocument`
 * turns into an OpenAPI operation. Bodies and results name `components.schemas` entries, so every
 * schema is generated once from zod; path parameters are read from the `{param}` template.
 */
import type { z } from "zod";
import type { ComponentName } from "./openapi-components.js";

/** `user`: every valid API key; `admin`: an admin key (PRODUCT.md §7, §8.3). */
export type RouteAuth = "none" | "user" | "admin";
export type RouteMethod = "get" | "post" | "patch" | "delete";
export type RouteTag =
  | "Operations"
  | "Responses"
  | "Connectors"
  | "Llama Stack connectors"
  | "Admin: connectors"
  | "Admin: MCP registries";
export type MediaType =
  "application/json" | "application/merge-patch+json" | "text/event-stream" | "text/plain";

/** Statuses answered with the error envelope; each has a `components.responses` entry. */
export type ErrorStatus =
  400 | 401 | 403 | 404 | 409 | 412 | 413 | 424 | 429 | 500 | 502 | 503 | 504;
export type ResultStatus = 200 | 201 | 503;
export type RequestHeaderName = "If-Match" | "X-Connector-Authorization";

export interface ResultSpec {
  status: ResultStatus;
  description: string;
  content: Partial<Record<MediaType, ComponentName>>;
  /** `ETag` on admin reads and writes (PRODUCT.md §8.10). */
  etag?: boolean;
}

export interface RouteSpec {
  method: RouteMethod;
  /** OpenAPI template, e.g. `/v1/connectors/{connector_id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: RouteTag;
  auth: RouteAuth;
  query?: z.ZodObject;
  /** `components.parameters` entries: `If-Match` on admin PATCH/DELETE (412 when stale), the caller's MCP token. */
  headers?: readonly RequestHeaderName[];
  body?: { content: Partial<Record<MediaType, ComponentName>>; description: string };
  results: readonly ResultSpec[];
  /** Error statuses besides those the auth level implies (401, 403) and 500, which every route can answer. */
  errors: readonly ErrorStatus[];
}
