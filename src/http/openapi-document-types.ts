/**
 * The subset of OpenAPI 3.1 objects Patchbay's document uses (https://spec.openapis.org/oas/v3.1.0
 * §4.8), typed so the builder and the tests agree on the document's shape.
 */
import type { z } from "zod";
import type { MediaType, RouteSpec, RouteTag } from "./openapi-route-spec.js";

export type JsonSchema = z.core.JSONSchema.JSONSchema;
export type Reference = { $ref: string };

export interface MediaTypeObject {
  schema: JsonSchema;
}

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, Reference>;
  content?: Partial<Record<MediaType, MediaTypeObject>>;
}

export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags: RouteTag[];
  security: Record<string, string[]>[];
  parameters?: (ParameterObject | Reference)[];
  requestBody?: {
    required: true;
    description: string;
    content: Partial<Record<MediaType, MediaTypeObject>>;
  };
  responses: Record<string, ResponseObject | Reference>;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: RouteTag; description: string }[];
  paths: Record<string, Partial<Record<RouteSpec["method"], OperationObject>>>;
  components: {
    securitySchemes: { bearer: { type: "http"; scheme: "bearer"; description: string } };
    schemas: Record<string, JsonSchema>;
    responses: Record<string, ResponseObject>;
    headers: Record<string, { description: string; schema: JsonSchema }>;
    parameters: Record<string, ParameterObject>;
  };
}
