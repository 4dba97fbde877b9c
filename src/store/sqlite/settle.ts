/**
 * better-sqlite3 is synchronous while the store ports are async (so a networked database fits):
 * every SQLite store method runs its driver work through `settle`.
 */

/** Runs synchronous driver work as a promise, so its errors reject instead of throwing. */
export function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}
