/**
 * `ManagedStore` on PostgreSQL (PRODUCT.md §6, §8.10; issue 13 §1): connectors and registries
 * created through the management API, one row per object. A conditional write locks the row
 * (`SELECT … FOR UPDATE`) before it compares revisions, so concurrent writers on any replica are
 * serialised and none is lost; every write has committed when its promise resolves.
 */
import type { RegistryConfig } from "../../config/patchbay-config.js";
import type { ConnectorConfig } from "../../connectors/connector-schema.js";
import {
  DuplicateIdError,
  RevisionMismatchError,
  type ManagedConnectorStore,
  type ManagedRegistryStore,
  type ManagedStore,
  type Stored,
} from "../managed-store.js";
import {
  assertManagedTable,
  checkConnectorValue,
  checkManagedValue,
  checkRegistryValue,
  laterTimestamp,
  managedKindOf,
  type ManagedTable,
} from "../managed-table.js";
import type { ManagedChange } from "../change-feed.js";
import { changePayload } from "./postgres-change-feed.js";
import { readStoredJson, type StoredValueCheck } from "../read-stored-json.js";
import type { PostgresDatabase, PostgresSession } from "./postgres-database.js";

interface ManagedRow {
  id: string;
  body: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

type MetadataRow = Omit<ManagedRow, "body">;

const columns = `id, body::text AS body, revision, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** One managed table; `check` runs on every value read back and on every value before it is written. */
export class PostgresManagedStore<T> implements ManagedStore<T> {
  readonly #database: PostgresDatabase;
  readonly #table: ManagedTable;
  readonly #check: StoredValueCheck<T>;
  readonly #channel: string;

  /** Every write `NOTIFY`s `channel` in its own transaction (ADR 0029). */
  constructor(
    database: PostgresDatabase,
    table: ManagedTable,
    check: StoredValueCheck<T>,
    channel: string,
  ) {
    // `table` is spliced into SQL, so a value from outside the type system must not get through.
    assertManagedTable(table);
    this.#database = database;
    this.#table = table;
    this.#check = check;
    this.#channel = channel;
  }

  list(): Promise<Stored<T>[]> {
    return this.#database.read(async (session) => {
      const { rows } = await session.query<ManagedRow>(
        `SELECT ${columns} FROM ${this.#table} ORDER BY id`,
      );
      return rows.map((row) => this.#toStored(row));
    });
  }

  get(id: string): Promise<Stored<T> | null> {
    return this.#database.read(async (session) => {
      const { rows } = await session.query<ManagedRow>(
        `SELECT ${columns} FROM ${this.#table} WHERE id = $1`,
        [id],
      );
      const row = rows[0];
      return row === undefined ? null : this.#toStored(row);
    });
  }

  async create(id: string, value: T): Promise<Stored<T>> {
    const checked = checkManagedValue(this.#table, id, value, this.#check);
    const now = new Date().toISOString();
    await this.#database.transaction(async (session) => {
      const { rowCount } = await session.query(
        `INSERT INTO ${this.#table} (id, body, revision, created_at, updated_at)
         VALUES ($1, $2::json, 1, $3, $3) ON CONFLICT (id) DO NOTHING`,
        [id, checked.body, now],
      );
      if (rowCount === 0) throw new DuplicateIdError(id);
      await this.#announce(session, id);
    });
    return { value: checked.value, revision: 1, createdAt: now, updatedAt: now };
  }

  async update(id: string, value: T, expectedRevision?: number): Promise<Stored<T> | null> {
    const checked = checkManagedValue(this.#table, id, value, this.#check);
    return this.#database.transaction(async (session) => {
      const current = await this.#lockedMetadata(session, id, expectedRevision);
      if (current === null) return null;
      const revision = current.revision + 1;
      const createdAt = current.createdAt.toISOString();
      const updatedAt = laterTimestamp(current.updatedAt.toISOString());
      await session.query(
        `UPDATE ${this.#table} SET body = $2::json, revision = $3, updated_at = $4 WHERE id = $1`,
        [id, checked.body, revision, updatedAt],
      );
      await this.#announce(session, id);
      return { value: checked.value, revision, createdAt, updatedAt };
    });
  }

  delete(id: string, expectedRevision?: number): Promise<boolean> {
    return this.#database.transaction(async (session) => {
      if ((await this.#lockedMetadata(session, id, expectedRevision)) === null) return false;
      const { rowCount } = await session.query(`DELETE FROM ${this.#table} WHERE id = $1`, [id]);
      await this.#announce(session, id);
      return rowCount > 0;
    });
  }

  /** Sent when the transaction commits, not before; dropped with it on a rollback. */
  async #announce(session: PostgresSession, id: string): Promise<void> {
    const change: ManagedChange = { kind: managedKindOf(this.#table), id };
    await session.query("SELECT pg_notify($1, $2)", [this.#channel, changePayload(change)]);
  }

  /** Locks the row for this transaction and refuses a stale expectation. */
  async #lockedMetadata(
    session: PostgresSession,
    id: string,
    expectedRevision: number | undefined,
  ): Promise<MetadataRow | null> {
    const { rows } = await session.query<MetadataRow>(
      `SELECT id, revision, created_at AS "createdAt", updated_at AS "updatedAt"
       FROM ${this.#table} WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const current = rows[0] ?? null;
    if (
      current !== null &&
      expectedRevision !== undefined &&
      current.revision !== expectedRevision
    ) {
      throw new RevisionMismatchError(id, current.revision);
    }
    return current;
  }

  #toStored(row: ManagedRow): Stored<T> {
    return {
      value: readStoredJson(this.#table, row.id, row.body, this.#check),
      revision: row.revision,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}

/** Connectors with `source: "api"` (PRODUCT.md §6). */
export function createPostgresManagedConnectorStore(
  database: PostgresDatabase,
  channel: string,
): ManagedConnectorStore {
  return new PostgresManagedStore<ConnectorConfig>(
    database,
    "managed_connectors",
    checkConnectorValue,
    channel,
  );
}

/** Registries added through the management API (PRODUCT.md §6). */
export function createPostgresManagedRegistryStore(
  database: PostgresDatabase,
  channel: string,
): ManagedRegistryStore {
  return new PostgresManagedStore<RegistryConfig>(
    database,
    "managed_registries",
    checkRegistryValue,
    channel,
  );
}
