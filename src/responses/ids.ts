import { randomUUID } from "node:crypto";

/**
 * Id prefixes OpenAI uses (PRODUCT.md §3 "IDs"): a prefix and ≥ 24 random url-safe characters.
 * `mcpa_` for approval responses is ours: no source gives OpenAI's prefix.
 */
export type IdPrefix =
  "resp" | "rs" | "msg" | "mcpl" | "mcp" | "mcpr" | "mcpa" | "fc" | "call" | "fco" | "conv";

/**
 * 32 hex characters (122 random bits, like OpenAI's own hex ids). `randomUUID` draws from Node's
 * internal entropy cache, so this costs no syscall per id on the hot path.
 *
 * With `turn` (from `newTurnToken`), the 32 are the turn token (16) and 16 random ones: the items
 * one model turn produced (its reasoning, assistant message, `mcp_call`, `mcp_approval_request`
 * and `function_call` items) share the token, so the turn can be rebuilt from the items alone,
 * whoever sends them back (ADR 0014). Without `turn`, the id never reads as carrying one.
 */
export function newId(prefix: IdPrefix, turn?: string): string {
  const hex = randomUUID().replaceAll("-", "");
  if (turn !== undefined) return `${prefix}_${turn}${hex.slice(16)}`;
  const id = `${prefix}_${hex}`;
  // One random id in 65,536 would pass for one carrying a turn token: draw another.
  return turnOf(id) === null ? id : newId(prefix);
}

/**
 * A fresh turn token: 12 random hex characters and 4 of check (`turnCheck`), so that a 32-hex id
 * written without a token (by Patchbay before turns were recorded, or by another client) passes
 * for one only by a 1-in-65,536 chance, and then still as a turn of its own.
 */
export function newTurnToken(): string {
  const random = randomUUID().replaceAll("-", "").slice(0, 12);
  return random + turnCheck(random);
}

const TURN_ID = /^[a-z]+_([0-9a-f]{12})([0-9a-f]{4})[0-9a-f]{16}$/;

/** The turn token an item id carries, or null when it carries none. */
export function turnOf(id: string): string | null {
  const match = TURN_ID.exec(id);
  if (!match?.[1] || match[2] !== turnCheck(match[1])) return null;
  return match[1] + match[2];
}

/** An id in the turn of `sibling` (a turn of its own when `sibling` carries no token). */
export function newIdInTurnOf(prefix: IdPrefix, sibling: string): string {
  return newId(prefix, turnOf(sibling) ?? newTurnToken());
}

/**
 * 16 bits of FNV-1a over the token's random part, as 4 hex: a checksum against chance, not a
 * secret (a client may forge a token; it only groups that client's own items). Cheap, since
 * every turn-bearing item is read on every model turn.
 */
function turnCheck(random: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < random.length; index++) {
    hash = Math.imul(hash ^ random.charCodeAt(index), 0x01000193);
  }
  return ((hash ^ (hash >>> 16)) & 0xffff).toString(16).padStart(4, "0");
}
