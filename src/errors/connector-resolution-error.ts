/**
 * A `connector_id` could not be turned into a connector (PRODUCT.md §4, §5, §8.16): no source
 * defines it (`cause` null), its registry entry is unusable (`RemoteSelectionError`: a missing
 * variable or header, no remote), or its registry cannot be reached while the mirror lacks it
 * (`RegistryError`). `source` says where the id came from, so `toApiError` names the right field
 * and answers an unknown id in a body with 400 and in a URL path with 404.
 */
import type { RegistryError } from "./registry-error.js";
import type { RemoteSelectionError } from "./remote-selection-error.js";

export interface ConnectorIdSource {
  /** A request body field (`tools[0].connector_id`) or a path parameter (`connector_id`). */
  in: "body" | "path";
  idParam: string;
  /** Where a registry server's required header would come from (`tools[0].headers`). */
  headersParam: string;
}

export class ConnectorResolutionError extends Error {
  readonly connectorId: string;
  readonly source: ConnectorIdSource;
  /** Why; null when no source defines the id. */
  readonly reason: RemoteSelectionError | RegistryError | null;

  constructor(
    connectorId: string,
    source: ConnectorIdSource,
    reason: RemoteSelectionError | RegistryError | null,
  ) {
    super(
      reason === null ? `Unknown connector_id '${connectorId}'.` : reason.message,
      reason === null ? undefined : { cause: reason },
    );
    this.name = "ConnectorResolutionError";
    this.connectorId = connectorId;
    this.source = source;
    this.reason = reason;
  }
}
