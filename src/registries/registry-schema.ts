/**
 * The MCP registry entry, declared once (issue 12 §2, as the connector model is in ADR 0022):
 * `RegistryConfigSchema` is the resolved shape every module uses (`RegistryConfig` is inferred
 * from it) and the check every stored registry row passes; `RegistryEntrySchema` is the config
 * file's spelling (`mcp_registries[]`, PRODUCT.md §2, §5), which the admin API takes too, and
 * resolves straight into that shape (defaults applied, URL normalised). This file depends only on
 * zod, the id rules and the config file's field schemas, so the lower layers may import it.
 */
import * as z from "zod";
import {
  HeadersSchema,
  HttpUrlSchema,
  integerFromEnv,
  OptionalTextSchema,
} from "../config/config-field-schemas.js";
import { RegistryIdSchema } from "../connectors/connector-ids.js";

/**
 * A registry of run.yaml or the admin API, resolved. Stored rows are checked against it on every
 * read and before every write; the input rules (id syntax, URL, header values) are checked where
 * an entry enters, by `RegistryEntrySchema`.
 */
export const RegistryConfigSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().nullable(),
  /** Normalised base URL: no trailing `/`, no trailing `/v0.1` (PRODUCT.md §8.19). */
  url: z.string().min(1),
  /** Sent with every registry request (a private subregistry's key among them): never echoed. */
  headers: z.record(z.string(), z.string()),
  syncIntervalS: z.int().min(1),
  include: z.array(z.string()),
  exclude: z.array(z.string()),
});
export type RegistryConfig = z.infer<typeof RegistryConfigSchema>;

/** One `mcp_registries[]` entry, and the body of `POST /v1/admin/mcp_registries`. */
export const RegistryEntrySchema = z
  .strictObject({
    id: RegistryIdSchema,
    name: OptionalTextSchema,
    url: HttpUrlSchema,
    headers: HeadersSchema,
    sync_interval_s: integerFromEnv(1).default(3600),
    include: z.array(z.string()).default([]),
    exclude: z.array(z.string()).default([]),
  })
  .transform((entry): RegistryConfig => ({
    id: entry.id,
    name: entry.name,
    url: normaliseRegistryUrl(entry.url),
    headers: entry.headers,
    syncIntervalS: entry.sync_interval_s,
    include: entry.include,
    exclude: entry.exclude,
  }));
export type RegistryEntry = z.input<typeof RegistryEntrySchema>;

/** Registry base URL: a trailing `/` or `/v0.1` is accepted and dropped (PRODUCT.md §8.19). */
export function normaliseRegistryUrl(url: string): string {
  return url
    .replace(/\/+$/, "")
    .replace(/\/v0\.1$/, "")
    .replace(/\/+$/, "");
}

/** A registry in the config file's spelling: what an admin merge patch applies to. */
export function toRegistryEntry(registry: RegistryConfig): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    id: registry.id,
    url: registry.url,
    headers: registry.headers,
    sync_interval_s: registry.syncIntervalS,
    include: registry.include,
    exclude: registry.exclude,
  };
  if (registry.name !== null) entry.name = registry.name;
  return entry;
}
