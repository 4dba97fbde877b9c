/**
 * A sync pass an admin forced (`POST /v1/admin/mcp_registries/{id}/sync`) failed because the
 * registry did (PRODUCT.md §8.16): the registry's fault, never ours, so `toApiError` makes it a 502
 * `registry_error` naming the registry. The failure is also recorded in the registry's status.
 */
import type { RegistryError } from "./registry-error.js";

export class RegistrySyncError extends Error {
  readonly registryId: string;
  override readonly cause: RegistryError;

  constructor(registryId: string, cause: RegistryError) {
    super(`Sync of registry '${registryId}' failed: ${cause.message}`, { cause });
    this.name = "RegistrySyncError";
    this.registryId = registryId;
    this.cause = cause;
  }
}
