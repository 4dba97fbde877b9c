/**
 * The one way every store adapter reads a JSON value back from its database
 * ([ADR 0018](../../docs/decisions/0018-stored-rows-checked-on-read.md)): parse, check with the
 * kind's check, and turn any failure into `StoredValueError`. A row that fails is corruption or a
 * drift between code and data, a server fault (500, logged with its cause), never a client error
 * and never a value of the wrong type handed on.
 */

/**
 * A stored value failed its check, on the way in (a caller bug) or out (a corrupt or foreign row).
 * Deliberately not the `ZodError` that would map to a 400.
 */
export class StoredValueError extends Error {
  constructor(
    /** The table (or collection) holding the value. */
    readonly table: string,
    /** The row's key, e.g. the object id. */
    readonly id: string,
    options: { cause: unknown },
  ) {
    super(`The value of '${id}' in ${table} does not match its schema.`, options);
    this.name = "StoredValueError";
  }
}

/** Turns parsed JSON into a `T` or throws (a zod schema's `parse`, or a structural check). */
export type StoredValueCheck<T> = (json: unknown) => T;

/** Parses `text` (JSON this adapter wrote) and checks it; throws `StoredValueError` on any failure. */
export function readStoredJson<T>(
  table: string,
  id: string,
  text: string,
  check: StoredValueCheck<T>,
): T {
  try {
    return check(JSON.parse(text));
  } catch (error) {
    throw new StoredValueError(table, id, { cause: error });
  }
}
