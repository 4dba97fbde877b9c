/**
 * What the CLI reads from Patchbay's answers (PRODUCT.md §6, §8.8, §8.10): loose objects with only
 * the fields the tables show, `.nullish()` where a field may be absent, so a newer server with more
 * fields still works. `--json` prints the body as received, never these parsed shapes.
 */
import { z } from "zod";

/** OpenAI's error envelope `{"error":{"message","type","param","code"}}`. */
export const ErrorEnvelopeSchema = z.looseObject({
  error: z.looseObject({
    message: z.string(),
    type: z.string().nullish(),
    code: z.string().nullish(),
    param: z.string().nullish(),
  }),
});

/** OpenAI list paging: `{object:"list", data, first_id, last_id, has_more}`. */
export const ListPageSchema = z.looseObject({
  data: z.array(z.unknown()),
  last_id: z.string().nullish(),
  has_more: z.boolean().nullish(),
});

/** A `GET /v1/connectors` item (PRODUCT.md §8.8). */
export const ConnectorListingSchema = z.looseObject({
  id: z.string(),
  source: z.string().nullish(),
  transport: z.string().nullish(),
  status: z.string().nullish(),
  url: z.string().nullish(),
});
export type ConnectorListingRow = z.infer<typeof ConnectorListingSchema>;

/** A tool as `GET /v1/connectors/{id}/tools` lists it. */
export const ConnectorToolSchema = z.looseObject({
  name: z.string(),
  description: z.string().nullish(),
  annotations: z.looseObject({ read_only: z.boolean().nullish() }).nullish(),
});
export type ConnectorToolRow = z.infer<typeof ConnectorToolSchema>;

/** An admin registry (`GET /v1/admin/mcp_registries`). */
export const RegistryRowSchema = z.looseObject({
  id: z.string(),
  source: z.string().nullish(),
  url: z.string().nullish(),
  status: z
    .looseObject({
      servers: z.number().nullish(),
      versions: z.number().nullish(),
      last_success_at: z.string().nullish(),
      last_error: z.string().nullish(),
    })
    .nullish(),
});
export type RegistryRow = z.infer<typeof RegistryRowSchema>;

/** `POST /v1/admin/mcp_registries/{id}/sync`. */
export const SyncResultSchema = z.looseObject({
  id: z.string(),
  mode: z.string().nullish(),
  upserted: z.number(),
  deleted: z.number(),
  skipped: z.number(),
  servers: z.number(),
  versions: z.number(),
});

/** Any JSON object (a connector or registry shown field by field). */
export const JsonObjectSchema = z.record(z.string(), z.unknown());
