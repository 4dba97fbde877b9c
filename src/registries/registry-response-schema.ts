import { z } from "zod";

/**
 * The Registry API `/v0.1` wire shapes Patchbay reads, as tolerant readers (STYLE.md "Validation"):
 * loose objects, only the fields we use, `.nullish()` where registries are sloppy. Reference
 * mcp-registry-api.md §1 "Response envelopes" and §2 (server.json). Unknown `_meta` keys, unknown
 * server.json fields and remotes of unknown types are ignored, never rejected.
 */

/** The registry's own metadata key in the response-level `_meta`. */
export const OFFICIAL_META_KEY = "io.modelcontextprotocol.registry/official";

/** server.json Input (a `variables{}` value). */
export const RegistryInputSchema = z.looseObject({
  description: z.string().nullish(),
  isRequired: z.boolean().nullish(),
  isSecret: z.boolean().nullish(),
  value: z.string().nullish(),
  default: z.string().nullish(),
});
export type RegistryInputWire = z.infer<typeof RegistryInputSchema>;

/** server.json KeyValueInput with its own `variables` (a `remotes[].headers[]` entry). */
export const RegistryHeaderSchema = RegistryInputSchema.extend({
  name: z.string().min(1),
  variables: z.record(z.string(), RegistryInputSchema).nullish(),
});

/** Only read to decide whether a `remotes[]` element is one of the transports Patchbay speaks. */
export const RemoteTypeSchema = z.looseObject({ type: z.enum(["streamable-http", "sse"]) });

/** A remote of a known transport; once its type is known, a malformed one makes the entry bad. */
export const RegistryRemoteSchema = RemoteTypeSchema.extend({
  url: z.string().min(1),
  headers: z.array(RegistryHeaderSchema).nullish(),
  variables: z.record(z.string(), RegistryInputSchema).nullish(),
});

export const ServerJsonSchema = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1),
  title: z.string().nullish(),
  description: z.string().nullish(),
  remotes: z.array(z.unknown()).nullish(),
  packages: z.array(z.unknown()).nullish(),
});

/** `_meta["io.modelcontextprotocol.registry/official"]`; an unknown status makes the entry bad. */
export const OfficialMetaSchema = z.looseObject({
  status: z.enum(["active", "deprecated", "deleted"]).nullish(),
  statusMessage: z.string().nullish(),
  publishedAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  isLatest: z.boolean().nullish(),
});

/** One `ServerResponse`: an element of `servers[]`, and the body of the detail endpoint. */
export const ServerResponseSchema = z.looseObject({
  server: ServerJsonSchema,
  _meta: z.looseObject({ [OFFICIAL_META_KEY]: OfficialMetaSchema.nullish() }).nullish(),
});
export type ServerResponseWire = z.infer<typeof ServerResponseSchema>;

/** The list envelope; entries stay `unknown` so each is parsed (and maybe skipped) on its own. */
export const ServerListSchema = z.looseObject({
  servers: z.array(z.unknown()).nullable(),
  metadata: z
    .looseObject({ nextCursor: z.string().nullish(), count: z.number().nullish() })
    .nullish(),
});

/**
 * Both error body shapes: the implementation's RFC 9457 problem+json (`title`, `status`, `detail`,
 * `errors[]` on 422) and the OpenAPI's `{"error":"…"}` (reference §1 "Errors: mismatch").
 */
export const RegistryErrorBodySchema = z.looseObject({
  title: z.string().nullish(),
  detail: z.string().nullish(),
  error: z.string().nullish(),
  errors: z
    .array(
      z.looseObject({
        message: z.string().nullish(),
        location: z.string().nullish(),
      }),
    )
    .nullish(),
});
