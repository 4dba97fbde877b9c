/**
 * What the `/v0.1` routes take and answer: the MCP Registry API's own shapes (reference
 * mcp-registry-openapi.yaml `ServerList`, `ServerResponse`, the list query), declared here so
 * `/openapi.json` documents them; the tests check every answer against the official document.
 * The query is read as the official registry reads it: unknown parameters are ignored, `limit` out
 * of 1–100 is a 422, a malformed `updated_since` a 400 (the handler checks it).
 */
import { z } from "zod";

/** The official registry's default page. */
export const REGISTRY_DEFAULT_LIMIT = 30;

export const RegistryListQuerySchema = z.looseObject({
  cursor: z
    .string()
    .optional()
    .meta({ description: "`metadata.nextCursor` of the previous page." }),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, "expected a whole number from 1 to 100")
    .transform(Number)
    .pipe(z.int().min(1).max(100))
    .default(REGISTRY_DEFAULT_LIMIT),
  search: z.string().optional().meta({ description: "Case-insensitive substring of the name." }),
  updated_since: z
    .string()
    .optional()
    .meta({ description: "RFC 3339; servers updated strictly after it." }),
  version: z.string().optional().meta({ description: "`latest`, or an exact version." }),
  include_deleted: z.enum(["true", "false"]).optional(),
});

export const RegistryVersionQuerySchema = z.looseObject({
  include_deleted: z.enum(["true", "false"]).optional(),
});

export const RegistryServerParamsSchema = z.object({
  serverName: z.string().meta({ description: "The server name, `/` sent as `%2F`." }),
});

export const RegistryVersionParamsSchema = RegistryServerParamsSchema.extend({
  version: z.string().meta({ description: "An exact version, or `latest`." }),
});

const InputSchema = z.object({
  description: z.string().optional(),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  value: z.string().optional(),
  default: z.string().optional(),
});

const RemoteSchema = z.object({
  type: z.enum(["streamable-http", "sse"]),
  url: z.string(),
  headers: z
    .array(
      InputSchema.extend({
        name: z.string(),
        variables: z.record(z.string(), InputSchema).optional(),
      }),
    )
    .optional(),
  variables: z.record(z.string(), InputSchema).optional(),
});

export const PATCHBAY_META_KEY = "dev.patchbay/connector";
export const OFFICIAL_META_KEY = "io.modelcontextprotocol.registry/official";

export const RegistryServerResponseSchema = z
  .object({
    server: z.object({
      name: z.string(),
      description: z.string(),
      title: z.string().optional(),
      version: z.string(),
      remotes: z.array(RemoteSchema),
    }),
    _meta: z.object({
      [OFFICIAL_META_KEY]: z.object({
        status: z.enum(["active", "deprecated", "deleted"]),
        statusMessage: z.string().optional(),
        publishedAt: z.string().optional(),
        updatedAt: z.string().optional(),
        isLatest: z.boolean(),
      }),
      [PATCHBAY_META_KEY]: z.object({
        connector_id: z.string(),
        source: z.enum(["config", "api", "registry"]),
        registry_id: z.string().nullable(),
      }),
    }),
  })
  .meta({
    id: "RegistryServerResponse",
    description:
      "One served server (the MCP Registry's `ServerResponse`); `_meta` names the Patchbay connector.",
  });

export const RegistryServerListSchema = z
  .object({
    servers: z.array(RegistryServerResponseSchema),
    metadata: z.object({ nextCursor: z.string().optional(), count: z.int() }),
  })
  .meta({ id: "RegistryServerList", description: "The MCP Registry's `ServerList`." });

/**
 * The official registry's RFC 9457 problem (`title`, `status`, `detail`, `errors[]` on a 422),
 * plus `error`, the same text under the name the registry's OpenAPI documents, so a client
 * reading either shape finds the message.
 */
export const RegistryProblemSchema = z
  .object({
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    error: z.string(),
    errors: z.array(z.object({ message: z.string(), location: z.string() })).optional(),
  })
  .meta({ id: "RegistryProblem", description: "An MCP Registry error (RFC 9457 problem)." });
