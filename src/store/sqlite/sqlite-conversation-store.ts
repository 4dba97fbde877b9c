/**
 * `ConversationStore` on the embedded SQLite database (issue 14 §1): one row per conversation and
 * one per item, keyed by position. better-sqlite3 is synchronous, so every method is one SQLite
 * transaction: an append reads and advances `next_position` and inserts its block with no other
 * writer in between, which is what keeps racing appends whole and in commit order.
 */
import type { ConversationItem } from "../../responses/response-types.js";
import type { ConversationStore, StoredConversation } from "../conversation-store.js";
import { readStoredJson } from "../read-stored-json.js";
import { assertPageLimit, type ItemPage, type ListItemsQuery } from "../response-store.js";
import { storedMetadataCheck } from "../stored-conversation-checks.js";
import { storedItemCheck } from "../stored-response-checks.js";
import type { SqliteDatabase } from "./open-sqlite-database.js";
import { settle } from "./settle.js";

interface ConversationRow {
  id: string;
  createdAt: number;
  metadata: string;
  ownerKey: string | null;
  ownerUser: string | null;
}

interface ItemRow {
  itemId: string;
  body: string;
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: SqliteDatabase) {
  const itemColumns = "item_id AS itemId, body";
  const page = (order: "asc" | "desc", comparison: "<" | ">") => ({
    first: db.prepare<[string, number], ItemRow>(
      `SELECT ${itemColumns} FROM conversation_items WHERE conversation_id = ?
       ORDER BY position ${order} LIMIT ?`,
    ),
    after: db.prepare<[string, number, number], ItemRow>(
      `SELECT ${itemColumns} FROM conversation_items
       WHERE conversation_id = ? AND position ${comparison} ?
       ORDER BY position ${order} LIMIT ?`,
    ),
  });
  return {
    insert: db.prepare<[string, number, string, string | null, string | null, number]>(
      `INSERT INTO conversations (id, created_at, metadata, owner_key, owner_user, next_position)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    select: db.prepare<[string], ConversationRow>(
      `SELECT id, created_at AS createdAt, metadata, owner_key AS ownerKey,
         owner_user AS ownerUser FROM conversations WHERE id = ?`,
    ),
    updateMetadata: db.prepare<[string, string]>(
      "UPDATE conversations SET metadata = ? WHERE id = ?",
    ),
    remove: db.prepare<[string]>("DELETE FROM conversations WHERE id = ?"),
    reserve: db.prepare<[{ count: number; id: string }], { start: number }>(
      `UPDATE conversations SET next_position = next_position + @count WHERE id = @id
       RETURNING next_position - @count AS start`,
    ),
    insertItem: db.prepare<[string, number, string, string]>(
      `INSERT INTO conversation_items (conversation_id, position, item_id, body)
       VALUES (?, ?, ?, ?)`,
    ),
    allItems: db.prepare<[string], ItemRow>(
      `SELECT ${itemColumns} FROM conversation_items WHERE conversation_id = ?
       ORDER BY position`,
    ),
    itemPosition: db.prepare<[string, string], { position: number }>(
      `SELECT position FROM conversation_items WHERE conversation_id = ? AND item_id = ?
       ORDER BY position LIMIT 1`,
    ),
    item: db.prepare<[string, string], ItemRow>(
      `SELECT ${itemColumns} FROM conversation_items WHERE conversation_id = ? AND item_id = ?
       ORDER BY position LIMIT 1`,
    ),
    deleteItem: db.prepare<[string, string]>(
      "DELETE FROM conversation_items WHERE conversation_id = ? AND item_id = ?",
    ),
    pages: { asc: page("asc", ">"), desc: page("desc", "<") },
  };
}

/** Takes a database opened and migrated by `openSqliteDatabase`; `close()` closes it. */
export class SqliteConversationStore implements ConversationStore {
  readonly #db: SqliteDatabase;
  readonly #statements: Statements;
  readonly #create: (conversation: StoredConversation, items: readonly ConversationItem[]) => void;
  readonly #append: (id: string, items: readonly ConversationItem[]) => boolean;
  readonly #update: (id: string, metadata: Record<string, string>) => StoredConversation | null;
  readonly #all: (id: string) => ConversationItem[] | null;
  readonly #list: (id: string, query: ListItemsQuery) => ItemPage | null;
  readonly #getItem: (id: string, itemId: string) => ConversationItem | null | undefined;
  readonly #deleteItem: (id: string, itemId: string) => boolean | undefined;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    const statements = prepareStatements(db);
    this.#statements = statements;
    const insertItems = (id: string, start: number, items: readonly ConversationItem[]) => {
      items.forEach((item, offset) => {
        statements.insertItem.run(id, start + offset, item.id, JSON.stringify(item));
      });
    };
    const exists = (id: string) => statements.select.get(id) !== undefined;

    this.#create = db.transaction(
      (conversation: StoredConversation, items: readonly ConversationItem[]) => {
        statements.insert.run(
          conversation.id,
          conversation.createdAt,
          JSON.stringify(conversation.metadata),
          conversation.owner.key,
          conversation.owner.user,
          items.length,
        );
        insertItems(conversation.id, 0, items);
      },
    );

    this.#append = db.transaction((id: string, items: readonly ConversationItem[]) => {
      const reserved = statements.reserve.get({ count: items.length, id });
      if (reserved === undefined) return false;
      insertItems(id, reserved.start, items);
      return true;
    });

    this.#update = db.transaction((id: string, metadata: Record<string, string>) => {
      if (statements.updateMetadata.run(JSON.stringify(metadata), id).changes === 0) return null;
      const row = statements.select.get(id);
      return row === undefined ? null : toConversation(row);
    });

    this.#all = db.transaction((id: string) =>
      exists(id) ? statements.allItems.all(id).map(toItem) : null,
    );

    this.#list = db.transaction((id: string, query: ListItemsQuery): ItemPage | null => {
      if (!exists(id)) return null;
      const page = statements.pages[query.order];
      const fetchCount = query.limit + 1;
      let rows: ItemRow[];
      if (query.after === undefined) {
        rows = page.first.all(id, fetchCount);
      } else {
        const anchor = statements.itemPosition.get(id, query.after);
        if (anchor === undefined) return { data: [], hasMore: false };
        rows = page.after.all(id, anchor.position, fetchCount);
      }
      return { data: rows.slice(0, query.limit).map(toItem), hasMore: rows.length > query.limit };
    });

    this.#getItem = db.transaction((id: string, itemId: string) => {
      if (!exists(id)) return undefined;
      const row = statements.item.get(id, itemId);
      return row === undefined ? null : toItem(row);
    });

    this.#deleteItem = db.transaction((id: string, itemId: string) => {
      if (!exists(id)) return undefined;
      return statements.deleteItem.run(id, itemId).changes > 0;
    });
  }

  create(conversation: StoredConversation, items: readonly ConversationItem[]): Promise<void> {
    return settle(() => this.#create(conversation, items));
  }

  get(id: string): Promise<StoredConversation | null> {
    return settle(() => {
      const row = this.#statements.select.get(id);
      return row === undefined ? null : toConversation(row);
    });
  }

  updateMetadata(id: string, metadata: Record<string, string>): Promise<StoredConversation | null> {
    return settle(() => this.#update(id, metadata));
  }

  /** Items go with the conversation (`ON DELETE CASCADE`). */
  delete(id: string): Promise<boolean> {
    return settle(() => this.#statements.remove.run(id).changes > 0);
  }

  appendItems(id: string, items: readonly ConversationItem[]): Promise<boolean> {
    return settle(() => this.#append(id, items));
  }

  allItems(id: string): Promise<ConversationItem[] | null> {
    return settle(() => this.#all(id));
  }

  /** Rejects with `RangeError` for a `limit` outside 1–100: the HTTP layer validates it first. */
  listItems(id: string, query: ListItemsQuery): Promise<ItemPage | null> {
    return settle(() => {
      assertPageLimit(query.limit);
      return this.#list(id, query);
    });
  }

  getItem(id: string, itemId: string): Promise<ConversationItem | null | undefined> {
    return settle(() => this.#getItem(id, itemId));
  }

  deleteItem(id: string, itemId: string): Promise<boolean | undefined> {
    return settle(() => this.#deleteItem(id, itemId));
  }

  /** Idempotent, so a shutdown path may call it more than once. */
  close(): Promise<void> {
    return settle(() => {
      this.#db.close();
    });
  }
}

function toConversation(row: ConversationRow): StoredConversation {
  return {
    id: row.id,
    createdAt: row.createdAt,
    metadata: readStoredJson("conversations", row.id, row.metadata, storedMetadataCheck),
    owner: { key: row.ownerKey, user: row.ownerUser },
  };
}

function toItem(row: ItemRow): ConversationItem {
  return readStoredJson("conversation_items", row.itemId, row.body, storedItemCheck(row.itemId));
}
