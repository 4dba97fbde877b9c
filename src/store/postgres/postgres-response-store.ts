/**
 * `ResponseStore` on PostgreSQL (PRODUCT.md §2 "Storage", issue 13 §1): the same rows as the SQLite
 * adapter (one per response, one per input item keyed by position). Each write is one transaction;
 * each read is one statement, so it sees one consistent state even while another replica re-saves
 * the response.
 */
import type { ConversationItem } from "../../responses/response-types.js";
import { readStoredJson } from "../read-stored-json.js";
import type { ItemPage, ListItemsQuery, ResponseStore, StoredResponse } from "../response-store.js";
import { storedItemCheck, storedResponseCheck } from "../stored-response-checks.js";
import { toPostgresText, type PostgresDatabase } from "./postgres-database.js";

const maxPageSize = 100;

interface ResponseRow {
  body: string;
  itemIds: string[];
  itemBodies: string[];
}

interface PageRow {
  itemId: string | null;
  body: string | null;
}

/** Takes a database opened and migrated by `openPostgresDatabase`; `close()` ends its pool. */
export class PostgresResponseStore implements ResponseStore {
  readonly #database: PostgresDatabase;

  constructor(database: PostgresDatabase) {
    this.#database = database;
  }

  save(record: StoredResponse): Promise<void> {
    const { response, inputItems } = record;
    const body = JSON.stringify(response);
    const itemBodies = inputItems.map((item) => JSON.stringify(item));
    return this.#database.transaction(async (session) => {
      await session.query(
        `INSERT INTO responses (id, created_at, status, previous_response_id, body)
         VALUES ($1, $2, $3, $4, $5::json)
         ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, status = excluded.status,
           previous_response_id = excluded.previous_response_id, body = excluded.body`,
        [response.id, response.created_at, response.status, response.previous_response_id, body],
      );
      await session.query("DELETE FROM response_input_items WHERE response_id = $1", [response.id]);
      if (inputItems.length === 0) return;
      await session.query(
        `INSERT INTO response_input_items (response_id, position, item_id, body)
         SELECT $1, item.position - 1, item.item_id, item.body::json
         FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS item (item_id, body, position)`,
        [response.id, inputItems.map((item) => item.id), itemBodies],
      );
    });
  }

  get(id: string): Promise<StoredResponse | null> {
    return this.#database.read(async (session) => {
      // Both arrays in one statement, so they come from one snapshot, in position order.
      const { rows } = await session.query<ResponseRow>(
        `SELECT body::text AS body,
           ARRAY(SELECT item_id FROM response_input_items WHERE response_id = $1
                 ORDER BY position) AS "itemIds",
           ARRAY(SELECT body::text FROM response_input_items WHERE response_id = $1
                 ORDER BY position) AS "itemBodies"
         FROM responses WHERE id = $1`,
        [id],
      );
      const row = rows[0];
      if (row === undefined) return null;
      return {
        response: readStoredJson(
          "responses",
          id,
          row.body,
          storedResponseCheck(toPostgresText(id), toPostgresText),
        ),
        inputItems: row.itemIds.map((itemId, index) => toItem(itemId, row.itemBodies[index])),
      };
    });
  }

  /** Input items go with the response (`ON DELETE CASCADE`). */
  delete(id: string): Promise<boolean> {
    return this.#database.transaction(async (session) => {
      const { rowCount } = await session.query("DELETE FROM responses WHERE id = $1", [id]);
      return rowCount > 0;
    });
  }

  /** Rejects with `RangeError` for a `limit` outside 1–100: the HTTP layer validates it first. */
  async listInputItems(responseId: string, query: ListItemsQuery): Promise<ItemPage | null> {
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > maxPageSize) {
      throw new RangeError(`limit must be an integer from 1 to ${maxPageSize}, got ${query.limit}`);
    }
    const [direction, comparison] = query.order === "asc" ? ["ASC", ">"] : ["DESC", "<"];
    // An unknown `after` makes the bound NULL, so the page is empty, as the contract asks.
    const afterBound =
      query.after === undefined
        ? ""
        : `AND item.position ${comparison} (SELECT position FROM response_input_items
             WHERE response_id = $1 AND item_id = $3 ORDER BY position LIMIT 1)`;
    const parameters: unknown[] = [responseId, query.limit + 1];
    if (query.after !== undefined) parameters.push(query.after);
    return this.#database.read(async (session) => {
      // No row: no such response; one row of NULLs: a response without (more) items.
      const { rows } = await session.query<PageRow>(
        `SELECT page.item_id AS "itemId", page.body FROM responses
         LEFT JOIN LATERAL (
           SELECT item.item_id, item.body::text AS body, item.position
           FROM response_input_items AS item
           WHERE item.response_id = responses.id ${afterBound}
           ORDER BY item.position ${direction} LIMIT $2
         ) AS page ON true
         WHERE responses.id = $1
         ORDER BY page.position ${direction}`,
        parameters,
      );
      if (rows.length === 0) return null;
      const items = rows.flatMap((row) =>
        row.itemId === null ? [] : [toItem(row.itemId, row.body ?? undefined)],
      );
      return { data: items.slice(0, query.limit), hasMore: items.length > query.limit };
    });
  }

  ping(): Promise<void> {
    return this.#database.ping();
  }

  /** Ends the shared pool; idempotent, so a shutdown path may call it more than once. */
  close(): Promise<void> {
    return this.#database.close();
  }
}

function toItem(itemId: string, body: string | undefined): ConversationItem {
  const check = storedItemCheck(itemId, toPostgresText);
  return readStoredJson("response_input_items", itemId, body ?? "", check);
}
