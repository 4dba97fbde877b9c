/**
 * The default `ManagedStore` (PRODUCT.md §6, §8.10): connectors and registries created through the
 * management API, one row per object in the embedded SQLite database. better-sqlite3 is
 * synchronous, so every write is one `BEGIN IMMEDIATE` transaction that has committed by the time
 * its promise settles, and the revision check runs under the same write lock as the write, also
 * against other processes sharing the file.
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
import type { ChangeListener } from "../change-feed.js";
import { readStoredJson, type StoredValueCheck } from "../read-stored-json.js";
import type { SqliteDatabase } from "./open-sqlite-database.js";
import { settle } from "./settle.js";

interface ManagedRow {
  id: string;
  body: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

type MetadataRow = Omit<ManagedRow, "body">;

/**
 * One managed table. `parse` checks every value read back (and every value before it is written,
 * so no row is stored that could not be read); pass a schema's parse, e.g. `ConnectorConfigSchema`.
 * Takes a database already opened and migrated by `openSqliteDatabase` and shares it with the
 * other SQLite stores, so it has no `close()` of its own.
 */
export class SqliteManagedStore<T> implements ManagedStore<T> {
  readonly #table: ManagedTable;
  readonly #parse: StoredValueCheck<T>;
  readonly #list: () => ManagedRow[];
  readonly #get: (id: string) => ManagedRow | undefined;
  readonly #create: (row: ManagedRow) => void;
  readonly #update: (id: string, body: string, expectedRevision?: number) => MetadataRow | null;
  readonly #delete: (id: string, expectedRevision?: number) => boolean;
  readonly #announce: (id: string) => void;

  /** `onChange` hears of every committed write (the in-process change feed, ADR 0029). */
  constructor(
    db: SqliteDatabase,
    table: ManagedTable,
    parse: StoredValueCheck<T>,
    onChange: ChangeListener = () => undefined,
  ) {
    // `table` is spliced into SQL, so a value from outside the type system must not get through.
    assertManagedTable(table);
    this.#table = table;
    this.#parse = parse;
    this.#announce = (id) => onChange({ kind: managedKindOf(table), id });
    const columns = "id, body, revision, created_at AS createdAt, updated_at AS updatedAt";
    const list = db.prepare<[], ManagedRow>(`SELECT ${columns} FROM ${table} ORDER BY id`);
    const get = db.prepare<[string], ManagedRow>(`SELECT ${columns} FROM ${table} WHERE id = ?`);
    const getMetadata = db.prepare<[string], MetadataRow>(
      `SELECT id, revision, created_at AS createdAt, updated_at AS updatedAt
       FROM ${table} WHERE id = ?`,
    );
    const insert = db.prepare<[ManagedRow]>(
      `INSERT INTO ${table} (id, body, revision, created_at, updated_at)
       VALUES (@id, @body, @revision, @createdAt, @updatedAt) ON CONFLICT (id) DO NOTHING`,
    );
    const replace = db.prepare<[string, number, string, string]>(
      `UPDATE ${table} SET body = ?, revision = ?, updated_at = ? WHERE id = ?`,
    );
    const remove = db.prepare<[string]>(`DELETE FROM ${table} WHERE id = ?`);

    /** Reads the current revision under the write lock and refuses a stale expectation. */
    const checkedMetadata = (id: string, expectedRevision?: number): MetadataRow | null => {
      const current = getMetadata.get(id) ?? null;
      if (current !== null && expectedRevision !== undefined) {
        if (current.revision !== expectedRevision) {
          throw new RevisionMismatchError(id, current.revision);
        }
      }
      return current;
    };

    const create = db.transaction((row: ManagedRow) => {
      if (insert.run(row).changes === 0) throw new DuplicateIdError(row.id);
    });
    const update = db.transaction((id: string, body: string, expectedRevision?: number) => {
      const current = checkedMetadata(id, expectedRevision);
      if (current === null) return null;
      const next: MetadataRow = {
        id,
        revision: current.revision + 1,
        createdAt: current.createdAt,
        updatedAt: laterTimestamp(current.updatedAt),
      };
      replace.run(body, next.revision, next.updatedAt, id);
      return next;
    });
    const deleteRow = db.transaction((id: string, expectedRevision?: number) => {
      if (checkedMetadata(id, expectedRevision) === null) return false;
      return remove.run(id).changes > 0;
    });

    this.#list = () => list.all();
    this.#get = (id) => get.get(id);
    this.#create = (row) => create.immediate(row);
    this.#update = (id, body, expectedRevision) => update.immediate(id, body, expectedRevision);
    this.#delete = (id, expectedRevision) => deleteRow.immediate(id, expectedRevision);
  }

  list(): Promise<Stored<T>[]> {
    return settle(() => this.#list().map((row) => this.#toStored(row)));
  }

  get(id: string): Promise<Stored<T> | null> {
    return settle(() => {
      const row = this.#get(id);
      return row === undefined ? null : this.#toStored(row);
    });
  }

  create(id: string, value: T): Promise<Stored<T>> {
    return settle(() => {
      const checked = this.#checkValue(id, value);
      const now = new Date().toISOString();
      this.#create({ id, body: checked.body, revision: 1, createdAt: now, updatedAt: now });
      this.#announce(id);
      return { value: checked.value, revision: 1, createdAt: now, updatedAt: now };
    });
  }

  update(id: string, value: T, expectedRevision?: number): Promise<Stored<T> | null> {
    return settle(() => {
      const checked = this.#checkValue(id, value);
      const written = this.#update(id, checked.body, expectedRevision);
      if (written === null) return null;
      this.#announce(id);
      const { revision, createdAt, updatedAt } = written;
      return { value: checked.value, revision, createdAt, updatedAt };
    });
  }

  delete(id: string, expectedRevision?: number): Promise<boolean> {
    return settle(() => {
      const deleted = this.#delete(id, expectedRevision);
      if (deleted) this.#announce(id);
      return deleted;
    });
  }

  /** The JSON to store and the value a later read will return, or `StoredValueError`. */
  #checkValue(id: string, value: T): { body: string; value: T } {
    return checkManagedValue(this.#table, id, value, this.#parse);
  }

  #toStored(row: ManagedRow): Stored<T> {
    const { revision, createdAt, updatedAt } = row;
    return { value: this.#parseBody(row.id, row.body), revision, createdAt, updatedAt };
  }

  #parseBody(id: string, body: string): T {
    return readStoredJson(this.#table, id, body, this.#parse);
  }
}

/** Connectors with `source: "api"` (PRODUCT.md §6). */
export function createSqliteManagedConnectorStore(
  db: SqliteDatabase,
  onChange?: ChangeListener,
): ManagedConnectorStore {
  return new SqliteManagedStore<ConnectorConfig>(
    db,
    "managed_connectors",
    checkConnectorValue,
    onChange,
  );
}

/** Registries added through the management API (PRODUCT.md §6). */
export function createSqliteManagedRegistryStore(
  db: SqliteDatabase,
  onChange?: ChangeListener,
): ManagedRegistryStore {
  return new SqliteManagedStore<RegistryConfig>(
    db,
    "managed_registries",
    checkRegistryValue,
    onChange,
  );
}
