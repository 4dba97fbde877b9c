/**
 * `ConversationStore` on PostgreSQL (issue 14 §1): the same rows as the SQLite adapter. An append
 * is one transaction whose `UPDATE … next_position` takes the conversation's row lock and reserves
 * a contiguous block of positions, so appends racing from any number of replicas queue on that
 * lock and each lands whole, in commit order, without gaps or duplicate positions. Reads are one
 * statement each, so each sees one consistent state.
 */
import type { ConversationItem } from "../../responses/response-types.js";
import type { ConversationStore, StoredConversation } from "../conversation-store.js";
import { readStoredJson } from "../read-stored-json.js";
import { assertPageLimit, type ItemPage, type ListItemsQuery } from "../response-store.js";
import { storedMetadataCheck } from "../stored-conversation-checks.js";
import { storedItemCheck } from "../stored-response-checks.js";
import {
  toPostgresText,
  type PostgresDatabase,
  type PostgresSession,
} from "./postgres-database.js";

interface ConversationRow {
  id: string;
  createdAt: string;
  metadata: string;
  ownerKey: string | null;
  ownerUser: string | null;
}

interface ItemRow {
  itemId: string | null;
  body: string | null;
}

const CONVERSATION_COLUMNS = `id, created_at::text AS "createdAt", metadata::text AS metadata,
  owner_key AS "ownerKey", owner_user AS "ownerUser"`;

/** Takes a database opened and migrated by `openPostgresDatabase`; `close()` ends its pool. */
export class PostgresConversationStore implements ConversationStore {
  readonly #database: PostgresDatabase;

  constructor(database: PostgresDatabase) {
    this.#database = database;
  }

  create(conversation: StoredConversation, items: readonly ConversationItem[]): Promise<void> {
    return this.#database.transaction(async (session) => {
      await session.query(
        `INSERT INTO conversations (id, created_at, metadata, owner_key, owner_user, next_position)
         VALUES ($1, $2, $3::json, $4, $5, $6)`,
        [
          conversation.id,
          conversation.createdAt,
          JSON.stringify(conversation.metadata),
          conversation.owner.key,
          conversation.owner.user,
          items.length,
        ],
      );
      await insertItems(session, conversation.id, 0, items);
    });
  }

  get(id: string): Promise<StoredConversation | null> {
    return this.#database.read(async (session) => {
      const { rows } = await session.query<ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id = $1`,
        [id],
      );
      return rows[0] === undefined ? null : toConversation(rows[0]);
    });
  }

  updateMetadata(id: string, metadata: Record<string, string>): Promise<StoredConversation | null> {
    return this.#database.transaction(async (session) => {
      const { rows } = await session.query<ConversationRow>(
        `UPDATE conversations SET metadata = $2::json WHERE id = $1
         RETURNING ${CONVERSATION_COLUMNS}`,
        [id, JSON.stringify(metadata)],
      );
      return rows[0] === undefined ? null : toConversation(rows[0]);
    });
  }

  /** Items go with the conversation (`ON DELETE CASCADE`). */
  delete(id: string): Promise<boolean> {
    return this.#database.transaction(async (session) => {
      const { rowCount } = await session.query("DELETE FROM conversations WHERE id = $1", [id]);
      return rowCount > 0;
    });
  }

  appendItems(id: string, items: readonly ConversationItem[]): Promise<boolean> {
    return this.#database.transaction(async (session) => {
      const { rows } = await session.query<{ start: number }>(
        `UPDATE conversations SET next_position = next_position + $2 WHERE id = $1
         RETURNING next_position - $2 AS start`,
        [id, items.length],
      );
      const start = rows[0]?.start;
      if (start === undefined) return false;
      await insertItems(session, id, start, items);
      return true;
    });
  }

  allItems(id: string): Promise<ConversationItem[] | null> {
    return this.#database.read(async (session) => {
      // No row: no such conversation; one row of NULLs: a conversation without items.
      const { rows } = await session.query<ItemRow>(
        `SELECT item.item_id AS "itemId", item.body::text AS body FROM conversations
         LEFT JOIN conversation_items AS item ON item.conversation_id = conversations.id
         WHERE conversations.id = $1 ORDER BY item.position`,
        [id],
      );
      return rows.length === 0 ? null : toItems(rows);
    });
  }

  /** Rejects with `RangeError` for a `limit` outside 1–100: the HTTP layer validates it first. */
  async listItems(id: string, query: ListItemsQuery): Promise<ItemPage | null> {
    assertPageLimit(query.limit);
    const [direction, comparison] = query.order === "asc" ? ["ASC", ">"] : ["DESC", "<"];
    // An unknown `after` makes the bound NULL, so the page is empty.
    const afterBound =
      query.after === undefined
        ? ""
        : `AND item.position ${comparison} (SELECT position FROM conversation_items
             WHERE conversation_id = $1 AND item_id = $3 ORDER BY position LIMIT 1)`;
    const parameters: unknown[] = [id, query.limit + 1];
    if (query.after !== undefined) parameters.push(query.after);
    return this.#database.read(async (session) => {
      const { rows } = await session.query<ItemRow>(
        `SELECT page.item_id AS "itemId", page.body FROM conversations
         LEFT JOIN LATERAL (
           SELECT item.item_id, item.body::text AS body, item.position
           FROM conversation_items AS item
           WHERE item.conversation_id = conversations.id ${afterBound}
           ORDER BY item.position ${direction} LIMIT $2
         ) AS page ON true
         WHERE conversations.id = $1
         ORDER BY page.position ${direction}`,
        parameters,
      );
      if (rows.length === 0) return null;
      const items = toItems(rows);
      return { data: items.slice(0, query.limit), hasMore: items.length > query.limit };
    });
  }

  getItem(id: string, itemId: string): Promise<ConversationItem | null | undefined> {
    return this.#database.read(async (session) => {
      const { rows } = await session.query<ItemRow>(
        `SELECT item.item_id AS "itemId", item.body::text AS body FROM conversations
         LEFT JOIN LATERAL (
           SELECT item_id, body FROM conversation_items
           WHERE conversation_id = conversations.id AND item_id = $2
           ORDER BY position LIMIT 1
         ) AS item ON true
         WHERE conversations.id = $1`,
        [id, itemId],
      );
      if (rows.length === 0) return undefined;
      return toItems(rows)[0] ?? null;
    });
  }

  deleteItem(id: string, itemId: string): Promise<boolean | undefined> {
    return this.#database.transaction(async (session) => {
      const { rows } = await session.query<{ deleted: number }>(
        `WITH removed AS (
           DELETE FROM conversation_items WHERE conversation_id = $1 AND item_id = $2
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM removed)::int AS deleted FROM conversations WHERE id = $1`,
        [id, itemId],
      );
      const row = rows[0];
      return row === undefined ? undefined : row.deleted > 0;
    });
  }

  /** Ends the shared pool; idempotent. */
  close(): Promise<void> {
    return this.#database.close();
  }
}

async function insertItems(
  session: PostgresSession,
  id: string,
  start: number,
  items: readonly ConversationItem[],
): Promise<void> {
  if (items.length === 0) return;
  await session.query(
    `INSERT INTO conversation_items (conversation_id, position, item_id, body)
     SELECT $1, $2 + item.position - 1, item.item_id, item.body::json
     FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS item (item_id, body, position)`,
    [id, start, items.map((item) => item.id), items.map((item) => JSON.stringify(item))],
  );
}

function toConversation(row: ConversationRow): StoredConversation {
  return {
    id: row.id,
    createdAt: Number(row.createdAt),
    metadata: readStoredJson("conversations", row.id, row.metadata, storedMetadataCheck),
    owner: { key: row.ownerKey, user: row.ownerUser },
  };
}

function toItems(rows: readonly ItemRow[]): ConversationItem[] {
  return rows.flatMap((row) =>
    row.itemId === null
      ? []
      : [
          readStoredJson(
            "conversation_items",
            row.itemId,
            row.body ?? "",
            storedItemCheck(row.itemId, toPostgresText),
          ),
        ],
  );
}
