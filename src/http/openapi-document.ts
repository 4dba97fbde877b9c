/**
 * Builds the OpenAPI 3.1 document served at `GET /openapi.json` (issue 6 item 5) from the route
 * tables and the zod schemas the routes validate with, so the document cannot describe another
 * request shape than the one enforced. Spec: https://spec.openapis.org/oas/v3.1.0.
 */
import { z } from "zod";
import { OPENAPI_COMPONENTS } from "./openapi-components.js";
import type { ComponentName } from "./openapi-components.js";
import {
  ADMIN_CONNECTORS_ROUTE_SPECS,
  ADMIN_REGISTRIES_ROUTE_SPECS,
} from "./openapi-admin-route-specs.js";
import type {
  JsonSchema,
  MediaTypeObject,
  OpenApiDocument,
  OperationObject,
  ParameterObject,
  Reference,
  ResponseObject,
} from "./openapi-document-types.js";
import type { ErrorStatus, MediaType, RouteSpec } from "./openapi-route-spec.js";
import { CONNECTORS_ROUTE_SPECS } from "./openapi-connectors-route-specs.js";
import { OPERATIONS_ROUTE_SPECS, RESPONSES_ROUTE_SPECS } from "./openapi-user-route-specs.js";

/** Every documented route, in document order. */
export const ROUTE_SPECS: readonly RouteSpec[] = [
  ...OPERATIONS_ROUTE_SPECS,
  ...RESPONSES_ROUTE_SPECS,
  ...CONNECTORS_ROUTE_SPECS,
  ...ADMIN_CONNECTORS_ROUTE_SPECS,
  ...ADMIN_REGISTRIES_ROUTE_SPECS,
];

const TAGS: OpenApiDocument["tags"] = [
  { name: "Operations", description: "Open routes: no API key (PRODUCT.md §8.3)." },
  { name: "Responses", description: "OpenAI's Responses API (PRODUCT.md §3)." },
  { name: "Connectors", description: "The connector catalog, any API key (PRODUCT.md §6)." },
  {
    name: "Llama Stack connectors",
    description:
      "Llama Stack's read-only Connectors API, for `llama-stack-client` (PRODUCT.md §6).",
  },
  { name: "Admin: connectors", description: "Connectors managed at runtime; admin key." },
  { name: "Admin: MCP registries", description: "MCP registries managed at runtime; admin key." },
];

const PATH_PARAMETERS: Record<string, string> = {
  response_id: "A response id (`resp_…`).",
  connector_id:
    "A connector id, percent-encoded whole (`encodeURIComponent`), e.g. `mcp%3A%3Apublic%3A%3Aio.github.x%2Fy` (PRODUCT.md §8.9).",
  registry_id: "An MCP registry id.",
  tool_name: "An MCP tool name, as the server lists it.",
};

const ERROR_RESPONSES: Record<ErrorStatus, { name: string; description: string }> = {
  400: { name: "BadRequest", description: "Invalid request; `param` names the field." },
  401: {
    name: "Unauthorized",
    description:
      "Missing or unknown API key; on live tool listings, the MCP server wants a valid token.",
  },
  403: {
    name: "Forbidden",
    description:
      "A user key on an admin route; on live tool listings, the MCP server refused the token.",
  },
  404: { name: "NotFound", description: "No such object." },
  409: { name: "Conflict", description: "Duplicate id, or an object defined in run.yaml." },
  412: { name: "PreconditionFailed", description: "`If-Match` names a stale revision." },
  413: { name: "PayloadTooLarge", description: "The body exceeds `server.max_body_bytes`." },
  424: {
    name: "FailedDependency",
    description: "An MCP server or registry needed by the request failed (PRODUCT.md §8.5, §8.16).",
  },
  429: { name: "RateLimited", description: "The model server is rate limiting (`Retry-After`)." },
  500: { name: "ServerError", description: "Unexpected server fault." },
  502: { name: "BadGateway", description: "The model server, a registry or an MCP server failed." },
  503: { name: "ServiceUnavailable", description: "The server is shutting down." },
  504: {
    name: "GatewayTimeout",
    description: "The model server or an MCP server did not answer in time.",
  },
};

const REQUEST_ID_HEADER = { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } };

/** The document for a Patchbay of this `version` (package.json's). */
export function buildOpenApiDocument(options: { version: string }): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const route of ROUTE_SPECS) {
    paths[route.path] = { ...paths[route.path], [route.method]: toOperation(route) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Patchbay",
      version: options.version,
      description:
        "OpenAI Responses API server with remote MCP servers as connectors. Send `Authorization: Bearer <key>`; with no keys configured every route is open and the server binds loopback only.",
    },
    servers: [{ url: "/" }],
    tags: TAGS,
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key from run.yaml." },
      },
      schemas: componentSchemas(),
      responses: errorResponses(),
      headers: {
        "X-Request-Id": {
          description: "The request's id, from the request header when sane, else generated.",
          schema: { type: "string" },
        },
        ETag: {
          description: 'The object\'s revision (`"r<n>"`, or `"config"`); send it as `If-Match`.',
          schema: { type: "string" },
        },
        "Retry-After": {
          description: "Passed on from the model server.",
          schema: { type: "string" },
        },
      },
      parameters: {
        "If-Match": {
          name: "If-Match",
          in: "header",
          required: false,
          description:
            "Apply only if the object is still at this ETag (`*` matches any); else 412.",
          schema: { type: "string" },
        },
        "X-Connector-Authorization": {
          name: "X-Connector-Authorization",
          in: "header",
          required: false,
          description:
            "The caller's token for the MCP server, sent as `Authorization: Bearer <token>`; never stored or logged.",
          schema: { type: "string" },
        },
      },
    },
  };
}

function toOperation(route: RouteSpec): OperationObject {
  const parameters: (ParameterObject | Reference)[] = [
    ...pathParameters(route.path),
    ...queryParameters(route.query),
    ...(route.headers ?? []).map((name) => ({ $ref: `#/components/parameters/${name}` })),
  ];
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: [route.tag],
    security: route.auth === "none" ? [] : [{ bearer: [] }],
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            description: route.body.description,
            content: toContent(route.body.content),
          },
        }),
    responses: toResponses(route),
  };
}

function toResponses(route: RouteSpec): OperationObject["responses"] {
  const responses: OperationObject["responses"] = {};
  for (const result of route.results) {
    responses[String(result.status)] = {
      description: result.description,
      headers: result.etag
        ? { ...REQUEST_ID_HEADER, ETag: { $ref: "#/components/headers/ETag" } }
        : REQUEST_ID_HEADER,
      content: toContent(result.content),
    };
  }
  const implied: ErrorStatus[] =
    route.auth === "admin" ? [401, 403] : route.auth === "user" ? [401] : [];
  const errors = [...new Set<ErrorStatus>([...route.errors, ...implied, 500])];
  for (const status of errors.sort((left, right) => left - right)) {
    responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };
  }
  return responses;
}

function toContent(
  content: Partial<Record<MediaType, ComponentName>>,
): Partial<Record<MediaType, MediaTypeObject>> {
  const result: Partial<Record<MediaType, MediaTypeObject>> = {};
  for (const [mediaType, name] of Object.entries(content) as [MediaType, ComponentName][]) {
    result[mediaType] = { schema: { $ref: `#/components/schemas/${name}` } };
  }
  return result;
}

function pathParameters(path: string): ParameterObject[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name = ""]) => {
    const description = PATH_PARAMETERS[name];
    if (description === undefined) throw new Error(`Undocumented path parameter '${name}'.`);
    return { name, in: "path", required: true, description, schema: { type: "string" } };
  });
}

/** Query parameters from a route's zod query schema (as the caller sends them: `io: "input"`). */
function queryParameters(query: z.ZodObject | undefined): ParameterObject[] {
  if (!query) return [];
  const schema = z.toJSONSchema(query, { io: "input", unrepresentable: "any" });
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = typeof property === "boolean" ? {} : property;
    const parameter: ParameterObject = {
      name,
      in: "query",
      required: required.has(name),
      schema: propertySchema,
    };
    if (description !== undefined) parameter.description = description;
    return parameter;
  });
}

/** `components.schemas` in one pass, so schemas used by others become `$ref`s. */
function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(OPENAPI_COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io: "input",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  });
  const result: Record<string, JsonSchema> = {};
  for (const [id, { $schema: _dialect, $id: _id, ...schema }] of Object.entries(schemas)) {
    result[id] = schema;
  }
  return result;
}

function errorResponses(): Record<string, ResponseObject> {
  const result: Record<string, ResponseObject> = {};
  for (const [status, { name, description }] of Object.entries(ERROR_RESPONSES)) {
    result[name] = {
      description,
      headers:
        status === "429"
          ? { ...REQUEST_ID_HEADER, "Retry-After": { $ref: "#/components/headers/Retry-After" } }
          : REQUEST_ID_HEADER,
      content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorEnvelope" } } },
    };
  }
  return result;
}
