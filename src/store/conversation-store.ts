/**
 * The storage port for conversations (issue 14 §1; reference openai-responses-mcp.md §4.3
 * "Conversations API"): a conversation row and its items in order. Adapters:
 * `SqliteConversationStore` and `PostgresConversationStore`; both run
 * `test/contract/conversation-store-contract.ts`.
 *
 * Items are positioned: an append reserves one contiguous block of positions in one transaction,
 * so two appends racing on one conversation never interleave or collide; each lands whole, in
 * commit order (docs/decisions/0021-conversations.md).
 */
import type { ConversationItem } from "../responses/response-types.js";
import type { ItemPage, ListItemsQuery } from "./response-store.js";
import type { Owner } from "./owner.js";

export interface StoredConversation {
  /** `conv_…` */
  id: string;
  /** Unix seconds. */
  createdAt: number;
  metadata: Record<string, string>;
  owner: Owner;
}

export interface ConversationStore {
  /** Stores a new conversation with its first items (positions 0…n-1), atomically. */
  create(conversation: StoredConversation, items: readonly ConversationItem[]): Promise<void>;
  get(id: string): Promise<StoredConversation | null>;
  /** Replaces the metadata; null when the conversation does not exist. */
  updateMetadata(id: string, metadata: Record<string, string>): Promise<StoredConversation | null>;
  /** Deletes the conversation and its items; false when it did not exist. */
  delete(id: string): Promise<boolean>;
  /**
   * Appends `items` after every item already there, as one block, in one transaction; false when
   * the conversation does not exist (nothing is written).
   */
  appendItems(id: string, items: readonly ConversationItem[]): Promise<boolean>;
  /** Every item, oldest first; null when the conversation does not exist. */
  allItems(id: string): Promise<ConversationItem[] | null>;
  /** A page of items in position order; null when the conversation does not exist. */
  listItems(id: string, query: ListItemsQuery): Promise<ItemPage | null>;
  /**
   * The item with `itemId` (the first, should a client have added one id twice); `undefined` when
   * the conversation does not exist, null when it has no such item.
   */
  getItem(id: string, itemId: string): Promise<ConversationItem | null | undefined>;
  /**
   * Deletes every item with `itemId`; `undefined` when the conversation does not exist, otherwise
   * whether an item was deleted.
   */
  deleteItem(id: string, itemId: string): Promise<boolean | undefined>;
  close(): Promise<void>;
}
