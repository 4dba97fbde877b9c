import * as z from "zod";
import { ConnectorEntrySchema } from "../connectors/connector-schema.js";
import { RegistryEntrySchema } from "../registries/registry-schema.js";
import { NonEmptyStringSchema, integerFromEnv } from "./config-field-schemas.js";

/*
 * `providers.agents[].config`: the seed's `persistence`, `connectors` and `mcp_registries`.
 * Strict: an unknown key is a startup error (PRODUCT.md §2, §8.2). A connector entry is the
 * connector model's own (`connectors/connector-schema.ts`), a registry entry the registry model's
 * (`registries/registry-schema.ts`).
 */

/** The seed's `persistence` block; only the `backend` names matter to Patchbay. */
const PersistenceSchema = z.strictObject({
  agent_state: z
    .strictObject({ namespace: z.string().optional(), backend: NonEmptyStringSchema })
    .optional(),
  responses: z
    .strictObject({
      table_name: z.string().optional(),
      backend: NonEmptyStringSchema,
      max_write_queue_size: integerFromEnv(1).optional(),
      num_writers: integerFromEnv(1).optional(),
    })
    .optional(),
});

/** A `providers.agents[]` entry; its `config` holds everything connector-related (seed examples). */
export const AgentsProviderSchema = z.strictObject({
  provider_id: z.string(),
  provider_type: z.string(),
  config: z
    .strictObject({
      persistence: PersistenceSchema.optional(),
      connectors: z.array(ConnectorEntrySchema).default([]),
      mcp_registries: z.array(RegistryEntrySchema).default([]),
    })
    .prefault({}),
});
export type AgentsProviderEntry = z.infer<typeof AgentsProviderSchema>;
