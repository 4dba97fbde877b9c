/**
 * The default `ResponseStore` (PRODUCT.md §2 "Storage"): responses and their input items in the
 * embedded SQLite database. better-sqlite3 is synchronous, so each method does its work inside one
 * SQLite transaction and returns a settled promise; that also makes every read a consistent snapshot.
 */
import type { ConversationItem } from "../../responses/response-types.js";
import { readStoredJson } from "../read-stored-json.js";
import type { ItemPage, ListItemsQuery, ResponseStore, StoredResponse } from "../response-store.js";
import { storedItemCheck, storedResponseCheck } from "../stored-response-checks.js";
import type { SqliteDatabase } from "./open-sqlite-database.js";
import { settle } from "./settle.js";

interface BodyRow {
  body: string;
}

interface ItemRow {
  itemId: string;
  body: string;
}

interface PositionRow {
  position: number;
}

type Order = ListItemsQuery["order"];

const maxPageSize = 100;

/**
 * Stores one row per response (the Response object as JSON plus the columns we query by) and one
 * row per input item, keyed by its position in the request. Takes a database already opened and
 * migrated by `openSqliteDatabase`; `close()` closes that database.
 */
export class SqliteResponseStore implements ResponseStore {
  readonly #db: SqliteDatabase;
  readonly #save: (record: StoredResponse) => void;
  readonly #get: (id: string) => StoredResponse | null;
  readonly #delete: (id: string) => boolean;
  readonly #list: (responseId: string, query: ListItemsQuery) => ItemPage | null;
  readonly #ping: () => unknown;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    const upsertResponse = db.prepare<[string, number, string, string | null, string]>(
      `INSERT INTO responses (id, created_at, status, previous_response_id, body)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, status = excluded.status,
         previous_response_id = excluded.previous_response_id, body = excluded.body`,
    );
    const deleteItems = db.prepare<[string]>(
      "DELETE FROM response_input_items WHERE response_id = ?",
    );
    const insertItem = db.prepare<[string, number, string, string]>(
      "INSERT INTO response_input_items (response_id, position, item_id, body) VALUES (?, ?, ?, ?)",
    );
    const selectResponse = db.prepare<[string], BodyRow>("SELECT body FROM responses WHERE id = ?");
    const itemColumns = "item_id AS itemId, body";
    const selectAllItems = db.prepare<[string], ItemRow>(
      `SELECT ${itemColumns} FROM response_input_items WHERE response_id = ? ORDER BY position`,
    );
    const responseExists = db.prepare<[string]>("SELECT 1 FROM responses WHERE id = ?");
    const deleteResponse = db.prepare<[string]>("DELETE FROM responses WHERE id = ?");
    const selectPosition = db.prepare<[string, string], PositionRow>(
      `SELECT position FROM response_input_items WHERE response_id = ? AND item_id = ?
       ORDER BY position LIMIT 1`,
    );
    const pageStatements = (order: Order, comparison: "<" | ">") => ({
      first: db.prepare<[string, number], ItemRow>(
        `SELECT ${itemColumns} FROM response_input_items WHERE response_id = ?
         ORDER BY position ${order} LIMIT ?`,
      ),
      after: db.prepare<[string, number, number], ItemRow>(
        `SELECT ${itemColumns} FROM response_input_items
         WHERE response_id = ? AND position ${comparison} ?
         ORDER BY position ${order} LIMIT ?`,
      ),
    });
    const pages = { asc: pageStatements("asc", ">"), desc: pageStatements("desc", "<") };
    const selectOne = db.prepare<[]>("SELECT 1");

    this.#save = db.transaction((record: StoredResponse) => {
      const { response, inputItems } = record;
      upsertResponse.run(
        response.id,
        response.created_at,
        response.status,
        response.previous_response_id,
        JSON.stringify(response),
      );
      deleteItems.run(response.id);
      inputItems.forEach((item, position) => {
        insertItem.run(response.id, position, item.id, JSON.stringify(item));
      });
    });

    this.#get = db.transaction((id: string): StoredResponse | null => {
      const row = selectResponse.get(id);
      if (row === undefined) return null;
      return {
        response: readStoredJson("responses", id, row.body, storedResponseCheck(id)),
        inputItems: selectAllItems.all(id).map(toConversationItem),
      };
    });

    this.#delete = (id) => deleteResponse.run(id).changes > 0;

    this.#list = db.transaction((responseId: string, query: ListItemsQuery): ItemPage | null => {
      if (responseExists.get(responseId) === undefined) return null;
      const statements = pages[query.order];
      // One extra row tells whether another page exists.
      const fetchCount = query.limit + 1;
      let rows: ItemRow[];
      if (query.after === undefined) {
        rows = statements.first.all(responseId, fetchCount);
      } else {
        const anchor = selectPosition.get(responseId, query.after);
        if (anchor === undefined) return { data: [], hasMore: false };
        rows = statements.after.all(responseId, anchor.position, fetchCount);
      }
      return {
        data: rows.slice(0, query.limit).map(toConversationItem),
        hasMore: rows.length > query.limit,
      };
    });

    this.#ping = () => selectOne.get();
  }

  save(record: StoredResponse): Promise<void> {
    return settle(() => this.#save(record));
  }

  get(id: string): Promise<StoredResponse | null> {
    return settle(() => this.#get(id));
  }

  /** Input items go with the response (`ON DELETE CASCADE`). */
  delete(id: string): Promise<boolean> {
    return settle(() => this.#delete(id));
  }

  /** Rejects with `RangeError` for a `limit` outside 1–100: the HTTP layer validates it first. */
  listInputItems(responseId: string, query: ListItemsQuery): Promise<ItemPage | null> {
    return settle(() => {
      if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > maxPageSize) {
        throw new RangeError(
          `limit must be an integer from 1 to ${maxPageSize}, got ${query.limit}`,
        );
      }
      return this.#list(responseId, query);
    });
  }

  ping(): Promise<void> {
    return settle(() => {
      this.#ping();
    });
  }

  /** Idempotent, so a shutdown path may call it more than once. */
  close(): Promise<void> {
    return settle(() => {
      this.#db.close();
    });
  }
}

function toConversationItem(row: ItemRow): ConversationItem {
  return readStoredJson("response_input_items", row.itemId, row.body, storedItemCheck(row.itemId));
}
