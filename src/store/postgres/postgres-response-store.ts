/**
 * `ResponseStore` on PostgreSQL (PRODUCT.md §2 "Storage", issue 13 §1): the same rows as the SQLite
 * adapter (one per response, one per input item keyed by position). Each write is one transaction;
 * each read is one statement, so it sees one consistent state even while another replica re-saves
 * the response.
 */
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
import {
  toPostgresText,
  type PostgresDatabase,
  type PostgresSession,
} from "./postgres-database.js";

interface ResponseRow {
  id: string;
  body: string;
  ownerKey: string | null;
  ownerUser: string | null;
  itemIds: string[];
  itemBodies: string[];
}

/** A response row with its input items, both arrays from the same snapshot, in position order. */
const RESPONSE_COLUMNS = `r.id, r.body::text AS body, r.owner_key AS "ownerKey",
  r.owner_user AS "ownerUser",
  ARRAY(SELECT item_id FROM response_input_items WHERE response_id = r.id
        ORDER BY position) AS "itemIds",
  ARRAY(SELECT body::text FROM response_input_items WHERE response_id = r.id
        ORDER BY position) AS "itemBodies"`;

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
    return this.#database.transaction((session) => write(session, record));
  }

  /** The row is locked first: a `DELETE` on another replica either waits or has already won. */
  update(record: StoredResponse): Promise<boolean> {
    return this.#database.transaction(async (session) => {
      const { rowCount } = await session.query("SELECT 1 FROM responses WHERE id = $1 FOR UPDATE", [
        record.response.id,
      ]);
      if (rowCount === 0) return false;
      await write(session, record);
      return true;
    });
  }

  get(id: string): Promise<StoredResponse | null> {
    return this.#database.read(async (session) => {
      const { rows } = await session.query<ResponseRow>(
        `SELECT ${RESPONSE_COLUMNS} FROM responses AS r WHERE r.id = $1`,
        [id],
      );
      const row = rows[0];
      return row === undefined ? null : toRecord(row);
    });
  }

  /** One recursive statement: the whole chain from one snapshot. */
  getChain(id: string): Promise<StoredResponse[]> {
    return this.#database.read(async (session) => {
      const { rows } = await session.query<ResponseRow>(
        `WITH RECURSIVE chain (id, previous_response_id, depth) AS (
           SELECT id, previous_response_id, 1 FROM responses WHERE id = $1
           UNION ALL
           SELECT r.id, r.previous_response_id, chain.depth + 1
           FROM responses AS r JOIN chain ON r.id = chain.previous_response_id
           WHERE chain.depth < $2
         )
         SELECT ${RESPONSE_COLUMNS}
         FROM chain JOIN responses AS r ON r.id = chain.id ORDER BY chain.depth`,
        [id, MAX_CHAIN_LENGTH],
      );
      return rows.map(toRecord);
    });
  }

  /** Rejects with `RangeError` for a `limit` outside 1–100: the HTTP layer validates it first. */
  async list(query: ListResponsesQuery): Promise<ResponsePage> {
    assertPageLimit(query.limit);
    const [direction, comparison] = query.order === "asc" ? ["ASC", ">"] : ["DESC", "<"];
    const parameters: unknown[] = [query.limit + 1];
    const conditions: string[] = [];
    const parameter = (value: unknown): string => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    if (query.owner !== undefined) {
      conditions.push(
        `r.owner_key IS NOT DISTINCT FROM ${parameter(query.owner.key)}`,
        `r.owner_user IS NOT DISTINCT FROM ${parameter(query.owner.user)}`,
      );
    }
    if (query.model !== undefined) conditions.push(`r.model = ${parameter(query.model)}`);
    if (query.after !== undefined) {
      // An unknown anchor matches no row: the comparison with NULL is never true.
      const anchor = parameter(query.after);
      conditions.push(
        `(r.created_at, r.seq) ${comparison}
           (SELECT created_at, seq FROM responses WHERE id = ${anchor})`,
      );
    }
    const where = conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
    return this.#database.read(async (session) => {
      const { rows } = await session.query<ResponseRow>(
        `SELECT ${RESPONSE_COLUMNS} FROM responses AS r ${where}
         ORDER BY r.created_at ${direction}, r.seq ${direction} LIMIT $1`,
        parameters,
      );
      return { data: rows.slice(0, query.limit).map(toRecord), hasMore: rows.length > query.limit };
    });
  }

  /** Input items go with the response (`ON DELETE CASCADE`). */
  delete(id: string): Promise<boolean> {
    return this.#database.transaction(async (session) => {
      const { rowCount } = await session.query("DELETE FROM responses WHERE id = $1", [id]);
      return rowCount > 0;
    });
  }

  deleteCreatedBefore(cutoff: number, limit: number): Promise<number> {
    // Input items go by ON DELETE CASCADE; `responses_by_created` finds the oldest.
    return this.#database.transaction(async (session) => {
      const { rowCount } = await session.query(
        `DELETE FROM responses WHERE id IN
           (SELECT id FROM responses WHERE created_at < $1 ORDER BY created_at LIMIT $2)`,
        [cutoff, limit],
      );
      return rowCount;
    });
  }

  /** Rejects with `RangeError` for a `limit` outside 1–100: the HTTP layer validates it first. */
  async listInputItems(responseId: string, query: ListItemsQuery): Promise<ItemPage | null> {
    assertPageLimit(query.limit);
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

function toRecord(row: ResponseRow): StoredResponse {
  return {
    response: readStoredJson(
      "responses",
      row.id,
      row.body,
      storedResponseCheck(toPostgresText(row.id), toPostgresText),
    ),
    inputItems: row.itemIds.map((itemId, index) => toItem(itemId, row.itemBodies[index])),
    owner: { key: row.ownerKey, user: row.ownerUser },
  };
}

function toItem(itemId: string, body: string | undefined): ConversationItem {
  const check = storedItemCheck(itemId, toPostgresText);
  return readStoredJson("response_input_items", itemId, body ?? "", check);
}

/** The response row (inserted or replaced) and its input items, in the caller's transaction. */
async function write(session: PostgresSession, record: StoredResponse): Promise<void> {
  const { response, inputItems, owner } = record;
  const body = JSON.stringify(response);
  const itemBodies = inputItems.map((item) => JSON.stringify(item));
  await session.query(
    `INSERT INTO responses
       (id, created_at, status, previous_response_id, body, model, owner_key, owner_user)
     VALUES ($1, $2, $3, $4, $5::json, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, status = excluded.status,
       previous_response_id = excluded.previous_response_id, body = excluded.body,
       model = excluded.model, owner_key = excluded.owner_key, owner_user = excluded.owner_user`,
    [
      response.id,
      response.created_at,
      response.status,
      response.previous_response_id,
      body,
      response.model,
      owner.key,
      owner.user,
    ],
  );
  await session.query("DELETE FROM response_input_items WHERE response_id = $1", [response.id]);
  if (inputItems.length === 0) return;
  await session.query(
    `INSERT INTO response_input_items (response_id, position, item_id, body)
     SELECT $1, item.position - 1, item.item_id, item.body::json
     FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS item (item_id, body, position)`,
    [response.id, inputItems.map((item) => item.id), itemBodies],
  );
}
