/**
 * The default `ResponseStore` (PRODUCT.md §2 "Storage"): responses and their input items in the
 * embedded SQLite database. better-sqlite3 is synchronous, so each method does its work inside one
 * SQLite transaction and returns a settled promise; that also makes every read a consistent snapshot.
 */
import type BetterSqlite3 from "better-sqlite3";
import type { ConversationItem } from "../../responses/response-types.js";
import { readStoredJson } from "../read-stored-json.js";
import {
  assertPageLimit,
  MAX_CHAIN_LENGTH,
  type ItemPage,
  type ListItemsQuery,
  type ListResponsesQuery,
  type ResponsePage,
  type ResponseStore,
  type StoredResponse,
} from "../response-store.js";
import { storedItemCheck, storedResponseCheck } from "../stored-response-checks.js";
import type { SqliteDatabase } from "./open-sqlite-database.js";
import { settle } from "./settle.js";

interface ResponseRow {
  id: string;
  body: string;
  ownerKey: string | null;
  ownerUser: string | null;
}

interface AnchorRow {
  createdAt: number;
  seq: number;
}

interface ItemRow {
  itemId: string;
  body: string;
}

interface PositionRow {
  position: number;
}

type Order = ListItemsQuery["order"];

/**
 * Stores one row per response (the Response object as JSON plus the columns we query by) and one
 * row per input item, keyed by its position in the request. Takes a database already opened and
 * migrated by `openSqliteDatabase`; `close()` closes that database.
 */
export class SqliteResponseStore implements ResponseStore {
  readonly #db: SqliteDatabase;
  readonly #save: (record: StoredResponse) => void;
  readonly #update: (record: StoredResponse) => boolean;
  readonly #get: (id: string) => StoredResponse | null;
  readonly #getChain: (id: string) => StoredResponse[];
  readonly #listResponses: (query: ListResponsesQuery) => ResponsePage;
  readonly #delete: (id: string) => boolean;
  readonly #deleteCreatedBefore: (cutoff: number, limit: number) => number;
  readonly #list: (responseId: string, query: ListItemsQuery) => ItemPage | null;
  readonly #ping: () => unknown;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    const upsertResponse = db.prepare<
      [string, number, string, string | null, string, string, string | null, string | null]
    >(
      `INSERT INTO responses
         (id, created_at, status, previous_response_id, body, model, owner_key, owner_user)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, status = excluded.status,
         previous_response_id = excluded.previous_response_id, body = excluded.body,
         model = excluded.model, owner_key = excluded.owner_key, owner_user = excluded.owner_user`,
    );
    const deleteItems = db.prepare<[string]>(
      "DELETE FROM response_input_items WHERE response_id = ?",
    );
    const insertItem = db.prepare<[string, number, string, string]>(
      "INSERT INTO response_input_items (response_id, position, item_id, body) VALUES (?, ?, ?, ?)",
    );
    const responseColumns = "id, body, owner_key AS ownerKey, owner_user AS ownerUser";
    const selectResponse = db.prepare<[string], ResponseRow>(
      `SELECT ${responseColumns} FROM responses WHERE id = ?`,
    );
    const selectCreatedAt = db.prepare<[string], AnchorRow>(
      "SELECT created_at AS createdAt, rowid AS seq FROM responses WHERE id = ?",
    );
    const listStatements = new Map<string, BetterSqlite3Statement>();
    const listStatement = (query: ListResponsesQuery): BetterSqlite3Statement => {
      const key = `${query.order}|${query.after !== undefined}|${query.model !== undefined}|${query.owner !== undefined}`;
      let statement = listStatements.get(key);
      if (statement === undefined) {
        statement = db.prepare<Array<string | number | null>, ResponseRow>(listResponsesSql(query));
        listStatements.set(key, statement);
      }
      return statement;
    };
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

    const write = (record: StoredResponse): void => {
      const { response, inputItems } = record;
      upsertResponse.run(
        response.id,
        response.created_at,
        response.status,
        response.previous_response_id,
        JSON.stringify(response),
        response.model,
        record.owner.key,
        record.owner.user,
      );
      deleteItems.run(response.id);
      inputItems.forEach((item, position) => {
        insertItem.run(response.id, position, item.id, JSON.stringify(item));
      });
    };
    this.#save = db.transaction(write);
    this.#update = db.transaction((record: StoredResponse): boolean => {
      if (responseExists.get(record.response.id) === undefined) return false;
      write(record);
      return true;
    });

    const toRecord = (row: ResponseRow): StoredResponse => ({
      response: readStoredJson("responses", row.id, row.body, storedResponseCheck(row.id)),
      inputItems: selectAllItems.all(row.id).map(toConversationItem),
      owner: { key: row.ownerKey, user: row.ownerUser },
    });

    this.#get = db.transaction((id: string): StoredResponse | null => {
      const row = selectResponse.get(id);
      return row === undefined ? null : toRecord(row);
    });

    // One transaction: every hop reads the same snapshot.
    this.#getChain = db.transaction((id: string): StoredResponse[] => {
      const chain: StoredResponse[] = [];
      let next: string | null = id;
      while (next !== null && chain.length < MAX_CHAIN_LENGTH) {
        const row = selectResponse.get(next);
        if (row === undefined) break;
        const record = toRecord(row);
        chain.push(record);
        next = record.response.previous_response_id;
      }
      return chain;
    });

    this.#listResponses = db.transaction((query: ListResponsesQuery): ResponsePage => {
      const parameters: Array<string | number | null> = [];
      if (query.owner !== undefined) parameters.push(query.owner.key, query.owner.user);
      if (query.model !== undefined) parameters.push(query.model);
      if (query.after !== undefined) {
        const anchor = selectCreatedAt.get(query.after);
        if (anchor === undefined) return { data: [], hasMore: false };
        parameters.push(anchor.createdAt, anchor.createdAt, anchor.seq);
      }
      parameters.push(query.limit + 1);
      const rows = listStatement(query).all(...parameters);
      return {
        data: rows.slice(0, query.limit).map(toRecord),
        hasMore: rows.length > query.limit,
      };
    });

    this.#delete = (id) => deleteResponse.run(id).changes > 0;
    // Input items go by ON DELETE CASCADE.
    const deleteOldest = db.prepare<[number, number]>(
      `DELETE FROM responses WHERE rowid IN
         (SELECT rowid FROM responses WHERE created_at < ? ORDER BY created_at LIMIT ?)`,
    );
    this.#deleteCreatedBefore = (cutoff, limit) => deleteOldest.run(cutoff, limit).changes;

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

  update(record: StoredResponse): Promise<boolean> {
    return settle(() => this.#update(record));
  }

  get(id: string): Promise<StoredResponse | null> {
    return settle(() => this.#get(id));
  }

  getChain(id: string): Promise<StoredResponse[]> {
    return settle(() => this.#getChain(id));
  }

  /** Rejects with `RangeError` for a `limit` outside 1–100: the HTTP layer validates it first. */
  list(query: ListResponsesQuery): Promise<ResponsePage> {
    return settle(() => {
      assertPageLimit(query.limit);
      return this.#listResponses(query);
    });
  }

  /** Input items go with the response (`ON DELETE CASCADE`). */
  delete(id: string): Promise<boolean> {
    return settle(() => this.#delete(id));
  }

  deleteCreatedBefore(cutoff: number, limit: number): Promise<number> {
    return settle(() => this.#deleteCreatedBefore(cutoff, limit));
  }

  /** Rejects with `RangeError` for a `limit` outside 1–100: the HTTP layer validates it first. */
  listInputItems(responseId: string, query: ListItemsQuery): Promise<ItemPage | null> {
    return settle(() => {
      assertPageLimit(query.limit);
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

type BetterSqlite3Statement = BetterSqlite3.Statement<Array<string | number | null>, ResponseRow>;

/**
 * The listing statement for one shape of query: filters by owner (`IS`, so null matches null)
 * and model, and pages by (`created_at`, `rowid`: creation order within a second) after the
 * anchor response.
 */
function listResponsesSql(query: ListResponsesQuery): string {
  const direction = query.order === "asc" ? "ASC" : "DESC";
  const comparison = query.order === "asc" ? ">" : "<";
  const conditions = ["1 = 1"];
  if (query.owner !== undefined) conditions.push("owner_key IS ? AND owner_user IS ?");
  if (query.model !== undefined) conditions.push("model = ?");
  if (query.after !== undefined)
    conditions.push(`(created_at ${comparison} ? OR (created_at = ? AND rowid ${comparison} ?))`);
  return `SELECT id, body, owner_key AS ownerKey, owner_user AS ownerUser FROM responses
    WHERE ${conditions.join(" AND ")}
    ORDER BY created_at ${direction}, rowid ${direction} LIMIT ?`;
}

function toConversationItem(row: ItemRow): ConversationItem {
  return readStoredJson("response_input_items", row.itemId, row.body, storedItemCheck(row.itemId));
}
