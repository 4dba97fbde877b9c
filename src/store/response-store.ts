/**
 * The storage port for responses (PRODUCT.md §2 "Storage"). Adapters: `SqliteResponseStore`
 * (default) and, later, a PostgreSQL one; both run `test/contract/response-store-contract.ts`.
 * Records hold no secrets: tools are already redacted when they get here.
 */
import type { ConversationItem, ResponseObject } from "../responses/response-types.js";

export interface StoredResponse {
  /** The Response object as returned to the client (tools redacted). */
  response: ResponseObject;
  /** This response's input items, each with an id, in request order. */
  inputItems: ConversationItem[];
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

export interface ResponseStore {
  /** Inserts or replaces the response and its input items atomically (background updates re-save). */
  save(record: StoredResponse): Promise<void>;
  get(id: string): Promise<StoredResponse | null>;
  /** Returns false when the id did not exist. */
  delete(id: string): Promise<boolean>;
  /** `null` when the response does not exist; unknown `after` → `hasMore:false`, empty data. */
  listInputItems(responseId: string, query: ListItemsQuery): Promise<ItemPage | null>;
  /** Cheap round trip used by `GET /ready`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
