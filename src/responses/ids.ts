import { randomBytes } from "node:crypto";

/**
 * Id prefixes OpenAI uses (PRODUCT.md §3 "IDs"): a prefix and ≥ 24 random url-safe characters.
 * `mcpa_` for approval responses is ours: no source gives OpenAI's prefix.
 */
export type IdPrefix = "resp" | "msg" | "mcpl" | "mcp" | "mcpr" | "mcpa" | "fc" | "call" | "fco";

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(24).toString("base64url")}`;
}
