import { randomUUID } from "node:crypto";

/**
 * Id prefixes OpenAI uses (PRODUCT.md §3 "IDs"): a prefix and ≥ 24 random url-safe characters.
 * `mcpa_` for approval responses is ours: no source gives OpenAI's prefix.
 */
export type IdPrefix = "resp" | "msg" | "mcpl" | "mcp" | "mcpr" | "mcpa" | "fc" | "call" | "fco";

/**
 * 32 hex characters (122 random bits, like OpenAI's own hex ids). `randomUUID` draws from Node's
 * internal entropy cache, so this costs no syscall per id on the hot path.
 */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomUUID().replaceAll("-", "")}`;
}
