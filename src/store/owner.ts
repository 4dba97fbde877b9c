/**
 * Who created a stored object (PRODUCT.md §9.3): the API key's identity and, when the key acts
 * for end users, the end user. Stored with every response and conversation, so a user key sees
 * only its own (the services compare owners) and later per-user credentials can key on it.
 * Never a secret: a key is identified by its configured `name`, or a digest when it has none.
 */
export interface Owner {
  /** The API key's identity; null when no keys are configured (the local admin). */
  key: string | null;
  /** The end user the key acted for, or null. */
  user: string | null;
}

/** Whether two owners are the same principal (key and end user both equal, null included). */
export function sameOwner(left: Owner, right: Owner): boolean {
  return left.key === right.key && left.user === right.user;
}
