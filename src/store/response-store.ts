/**
 * The storage port for responses (PRODUCT.md §2 "Storage"). Adapters: `SqliteResponseStore`
 * (default) and `PostgresResponseStore`; both run `test/contract/response-store-contract.ts`.
 * Records hold no secrets: tools are already redacted when they get here.
 */
import type { ConversationItem, ResponseObject } from "../responses/response-types.js";
import type { Owner } from "./owner.js";

export interface StoredResponse {
  /** The Response object as returned to the client (tools redacted). */
  response: ResponseObject;
  /** This response's input items, each with an id, in request order. */
  inputItems: ConversationItem[];
  /** Who created it (PRODUCT.md §9.3). */
  owner: Owner;
}

export interface ListItemsQuery {
  limit: number;
  order: "asc" | "desc";
  /** Item id; results start after it in the chosen order. */
  after?: string | undefined;
}

export interface ItemPage {
  data: ConversationItem[];
  hasMore: boolean;
}

/** `GET /v1/responses` (Llama Stack's list): newest first by default, paged by response id. */
export interface ListResponsesQuery {
  limit: number;
  order: "asc" | "desc";
  /** A response id; results start after it in the chosen order (unknown → empty page). */
  after?: string | undefined;
  /** Only responses whose `model` is exactly this. */
  model?: string | undefined;
  /** Only this owner's responses; absent → everyone's (an admin's view). */
  owner?: Owner | undefined;
}

export interface ResponsePage {
  data: StoredResponse[];
  hasMore: boolean;
}

export interface ResponseStore {
  /** Inserts or replaces the response and its input items atomically (background updates re-save). */
  save(record: StoredResponse): Promise<void>;
  /**
   * `save`, for a response that must still exist: a background run's later saves, so a response
   * deleted meanwhile (on any replica) is not brought back. False, writing nothing, when it is gone.
   */
  update(record: StoredResponse): Promise<boolean>;
  get(id: string): Promise<StoredResponse | null>;
  /**
   * The `previous_response_id` chain from `id` back, newest first, read in one call (issue 12 §4
   * "Context"): it stops before the first response that is missing, so an empty array means `id`
   * itself is unknown, and a last record whose `previous_response_id` is set names a deleted link.
   */
  getChain(id: string): Promise<StoredResponse[]>;
  /** Returns false when the id did not exist. */
  delete(id: string): Promise<boolean>;
  /** `null` when the response does not exist; unknown `after` → `hasMore:false`, empty data. */
  listInputItems(responseId: string, query: ListItemsQuery): Promise<ItemPage | null>;
  /** Stored responses by `created_at`, then order of creation, with their input items. */
  list(query: ListResponsesQuery): Promise<ResponsePage>;
  /**
   * Retention (issue 13 §5): deletes up to `limit` responses created before `cutoff` (Unix
   * seconds), oldest first, with their input items, in one short transaction; returns how many.
   * A chain through a deleted response then ends there, as after a `DELETE`.
   */
  deleteCreatedBefore(cutoff: number, limit: number): Promise<number>;
  /** Cheap round trip used by `GET /ready`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The longest chain `getChain` follows: a guard against a cycle written by hand into the table. */
export const MAX_CHAIN_LENGTH = 100_000;

/** Page sizes every list method accepts (the HTTP layer validates first). */
export const MAX_PAGE_SIZE = 100;

/** Rejects a `limit` outside 1–100 with `RangeError` (a caller bug: HTTP validated it). */
export function assertPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`);
  }
}
