/**
 * The answer schemas the routes declare (and the document shows) against the TypeScript types the
 * services return. The routes' typed `c.json` already checks that each answer fits its schema;
 * these check the reverse too, so a field dropped from a type is dropped from the document.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { AdminConnector } from "../connectors/connector-admin.js";
import type { ConnectorListing } from "../connectors/connector-listing.js";
import type { ListedTool } from "../connectors/to-listed-tool.js";
import type {
  LlamaStackConnector,
  LlamaStackToolDef,
} from "../connectors/llama-stack-connector.js";
import type { ErrorEnvelope } from "../errors/api-error.js";
import type { AdminRegistry } from "../registries/registry-admin.js";
import type { SyncResult } from "../registries/registry-sync.js";
import type { ResponseObject } from "../responses/response-types.js";
import type {
  AdminConnectorSchema,
  AdminRegistrySchema,
  RegistrySyncReportSchema,
} from "./admin-schemas.js";
import type {
  ConnectorListingSchema,
  ConnectorToolItemSchema,
  LlamaStackConnectorSchema,
  LlamaStackToolDefSchema,
} from "./connector-schemas.js";
import type { ErrorEnvelopeSchema } from "./openapi-route-parts.js";
import type { OpenAIResponseSchema } from "./responses-schemas.js";

describe("documented answer objects", () => {
  it("match the services' TypeScript types (checked by tsc)", () => {
    expectTypeOf<z.output<typeof ErrorEnvelopeSchema>>().toEqualTypeOf<ErrorEnvelope>();
    expectTypeOf<z.output<typeof ConnectorListingSchema>>().toEqualTypeOf<ConnectorListing>();
    expectTypeOf<z.output<typeof ConnectorToolItemSchema>>().toEqualTypeOf<ListedTool>();
    expectTypeOf<z.output<typeof LlamaStackConnectorSchema>>().toEqualTypeOf<LlamaStackConnector>();
    expectTypeOf<z.output<typeof LlamaStackToolDefSchema>>().toEqualTypeOf<LlamaStackToolDef>();
    expectTypeOf<
      Omit<z.output<typeof RegistrySyncReportSchema>, "id" | "object">
    >().toEqualTypeOf<SyncResult>();
  });

  it("describe every field the admin routes send (optional filter keys aside, checked by tsc)", () => {
    expectTypeOf<AdminConnector>().toExtend<z.output<typeof AdminConnectorSchema>>();
    expectTypeOf<keyof z.output<typeof AdminConnectorSchema>>().toEqualTypeOf<
      keyof AdminConnector
    >();
    expectTypeOf<AdminRegistry>().toExtend<z.output<typeof AdminRegistrySchema>>();
    expectTypeOf<keyof z.output<typeof AdminRegistrySchema>>().toEqualTypeOf<keyof AdminRegistry>();
    type Core = "id" | "object" | "created_at" | "status" | "model";
    expectTypeOf<Pick<ResponseObject, Core>>().toEqualTypeOf<
      Pick<z.output<typeof OpenAIResponseSchema>, Core>
    >();
  });
});
