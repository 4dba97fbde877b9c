/**
 * What the backends' migration lists share (PRODUCT.md §2 "Storage"): one ordered list per
 * backend, applied at startup, recorded in `schema_migrations`, never edited once shipped.
 */

/**
 * One schema step. Versions are positive and strictly increasing; new features append a new entry
 * and never edit a shipped one. `sql` may hold several statements but no `BEGIN`/`COMMIT`: the
 * runner owns the transaction.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The database was written by a newer Patchbay: running older code on it could corrupt it. */
export class SchemaVersionError extends Error {
  readonly databaseVersion: number;
  readonly supportedVersion: number;

  /** `database` names it for the operator, e.g. `SQLite database /data/sql_store.db`. */
  constructor(database: string, databaseVersion: number, supportedVersion: number, hint: string) {
    super(
      `${database} has schema version ${databaseVersion}, newer than the ${supportedVersion} ` +
        `this Patchbay supports; upgrade Patchbay or ${hint}`,
    );
    this.name = "SchemaVersionError";
    this.databaseVersion = databaseVersion;
    this.supportedVersion = supportedVersion;
  }
}

/** Throws unless versions are increasing positive integers (a programming error, caught by tests). */
export function assertOrdered(list: readonly Migration[]): void {
  let previous = 0;
  for (const migration of list) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(
        `Migration versions must be increasing positive integers: ${migration.version} ` +
          `(${migration.name}) follows ${previous}`,
      );
    }
    previous = migration.version;
  }
}
