/**
 * Who is asking (PRODUCT.md §9.3): the API key's role and the owner identity it stores objects
 * under (key identity plus optional end user). Users see and continue only their own responses and
 * conversations, as if others' did not exist; admins see all.
 */
import type { ApiKeyRole } from "../config/patchbay-config.js";
import { sameOwner, type Owner } from "../store/owner.js";

export interface Principal {
  role: ApiKeyRole;
  owner: Owner;
}

/** With no API keys configured, everyone is the local admin. */
export const LOCAL_ADMIN: Principal = { role: "admin", owner: { key: null, user: null } };

/** Whether `principal` may read, continue or delete an object stored by `owner`. */
export function mayAccess(principal: Principal, owner: Owner): boolean {
  return principal.role === "admin" || sameOwner(principal.owner, owner);
}

/** The owner a listing is limited to: none for an admin (everything), else the caller's own. */
export function listingOwner(principal: Principal): Owner | undefined {
  return principal.role === "admin" ? undefined : principal.owner;
}
