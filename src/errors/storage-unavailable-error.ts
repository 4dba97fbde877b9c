/**
 * The database behind the stores cannot be reached or did not answer in time (a PostgreSQL outage,
 * a terminated connection, a full pool; issue 13 §6). Requests that need storage get 503
 * `storage_unavailable` and can be retried; the process keeps running and recovers on its own.
 * The message names the database and the failure but never a password.
 */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StorageUnavailableError";
  }
}
