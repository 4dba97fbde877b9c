/**
 * One PostgreSQL connection pool shared by every PostgreSQL store (issue 13 §1, §6). It owns what
 * makes a networked database safe to use from request handlers:
 * - every failure of the driver becomes either `StorageUnavailableError` (503, retried by the
 *   client) or `PostgresStatementError` (500); neither carries the driver's objects, which can
 *   reference the connection and its password;
 * - a transaction whose connection dies before `COMMIT` was sent was rolled back by the server,
 *   so it runs again on another connection, reads likewise. Each dead connection is dropped when
 *   it fails, so after at most one retry per pooled connection a pool whose backends were all
 *   terminated is fresh again, without failing the request;
 * - a connection that errors while checked out is destroyed, never returned to the pool.
 */
import type { Pool, PoolClient } from "pg";
import { StorageUnavailableError } from "../../errors/storage-unavailable-error.js";
import { classifyPostgresFailure, type PostgresFailure } from "./classify-postgres-failure.js";

/** Rows of one statement. Column types are the table's: the adapter names them per query. */
export interface QueryRows<Row> {
  rows: Row[];
  rowCount: number;
}

/** Runs statements on the connection (and transaction) the adapter was handed. */
export interface PostgresSession {
  query<Row>(sql: string, parameters?: readonly unknown[]): Promise<QueryRows<Row>>;
}

/** The database refused a statement: a bug or bad data rather than an outage (→ 500). */
export class PostgresStatementError extends Error {
  readonly code: string | null;

  constructor(failure: PostgresFailure) {
    const state = failure.code === null ? "" : ` (${failure.code})`;
    super(`PostgreSQL refused a statement${state}: ${failure.reason}`);
    this.name = "PostgresStatementError";
    this.code = failure.code;
  }
}

/** `read`: statements on one connection, no transaction; `write`: one transaction. */
type Mode = "read" | "write";

export class PostgresDatabase {
  readonly #pool: Pool;
  /** Attempts of one operation: every pooled connection may turn out dead, plus a fresh one. */
  readonly #attempts: number;
  /** `PostgreSQL user@host:port/db`, for messages: never the password. */
  readonly description: string;
  #closing: Promise<void> | null = null;

  constructor(pool: Pool, description: string, maxConnections: number) {
    this.#pool = pool;
    this.#attempts = maxConnections + 1;
    this.description = description;
  }

  /**
   * Reads on one connection without a transaction: one statement sees one consistent state, so
   * the adapters read with single statements.
   */
  read<T>(work: (session: PostgresSession) => Promise<T>): Promise<T> {
    return this.#run("read", work);
  }

  /**
   * Runs `work` in one transaction and commits it. Errors `work` throws roll back and pass through
   * unchanged (domain errors such as `RevisionMismatchError`).
   */
  transaction<T>(work: (session: PostgresSession) => Promise<T>): Promise<T> {
    return this.#run("write", work);
  }

  /** One round trip, bounded by the connect and statement timeouts (`GET /ready`). */
  async ping(): Promise<void> {
    await this.read((session) => session.query("SELECT 1"));
  }

  /** Ends the pool once; later calls wait for the same end. */
  close(): Promise<void> {
    this.#closing ??= this.#pool.end().catch(() => undefined);
    return this.#closing;
  }

  async #run<T>(mode: Mode, work: (session: PostgresSession) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const checkout = await this.#checkout();
      const retry = attempt < this.#attempts;
      let commitSent = false;
      try {
        if (mode === "write") await checkout.session.query("BEGIN");
        const result = await work(checkout.session);
        if (mode === "write") {
          commitSent = true;
          await checkout.session.query("COMMIT");
        }
        checkout.release();
        return result;
      } catch (error) {
        if (checkout.lost) {
          checkout.release();
          // A COMMIT the driver refused to send leaves nothing in doubt; one that was sent and
          // got no answer may have committed, so it is not run again.
          if (retry && (!commitSent || checkout.lastQueryUnsent)) continue;
          throw error;
        }
        if (mode === "write" && !commitSent) await checkout.rollback();
        checkout.release();
        throw error;
      }
    }
  }

  async #checkout(): Promise<Checkout> {
    let client: PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw this.#unavailable(classifyPostgresFailure(error));
    }
    return new Checkout(client, (failure) => this.#toError(failure));
  }

  #toError(failure: PostgresFailure): Error {
    return failure.kind === "statement"
      ? new PostgresStatementError(failure)
      : this.#unavailable(failure);
  }

  #unavailable(failure: PostgresFailure): StorageUnavailableError {
    const code =
      failure.code === null || failure.reason.includes(failure.code) ? "" : `${failure.code}: `;
    return new StorageUnavailableError(
      `${this.description} is unavailable (${code}${failure.reason})`,
    );
  }
}

/**
 * One checked-out connection. It listens for the connection's own `error` event while it is out
 * of the pool (unhandled, that event would end the process), and destroys the connection on
 * release once anything went wrong with it.
 */
class Checkout {
  lost = false;
  /** The last failed query never left: the driver knew the connection was dead. */
  lastQueryUnsent = false;
  #broken = false;
  readonly #client: PoolClient;
  readonly #toError: (failure: PostgresFailure) => Error;
  readonly #onError = (): void => {
    this.lost = true;
    this.#broken = true;
  };
  readonly session: PostgresSession;

  constructor(client: PoolClient, toError: (failure: PostgresFailure) => Error) {
    this.#client = client;
    this.#toError = toError;
    client.on("error", this.#onError);
    this.session = { query: (sql, parameters) => this.#query(sql, parameters) };
  }

  async #query<Row>(sql: string, parameters?: readonly unknown[]): Promise<QueryRows<Row>> {
    try {
      const result = await this.#client.query(sql, parameters?.map(toParameter));
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    } catch (error) {
      const failure = classifyPostgresFailure(error);
      if (failure.kind !== "statement") this.#broken = true;
      if (failure.kind === "lost") this.lost = true;
      this.lastQueryUnsent = failure.reason.endsWith("is not queryable");
      throw this.#toError(failure);
    }
  }

  /** After a refused statement the transaction is aborted; a failed rollback breaks the connection. */
  async rollback(): Promise<void> {
    if (this.#broken) return;
    try {
      await this.#client.query("ROLLBACK");
    } catch {
      this.#broken = true;
    }
  }

  release(): void {
    this.#client.removeListener("error", this.#onError);
    this.#client.release(this.#broken);
  }
}

/**
 * PostgreSQL text cannot hold U+0000 (the statement would fail with 22021): it is stored as
 * U+FFFD, in values and in lookups alike. Stored JSON is unaffected (`JSON.stringify` escapes it).
 */
export function toPostgresText(value: string): string {
  return value.includes("\u0000") ? value.replaceAll("\u0000", "\uFFFD") : value;
}

function toParameter(value: unknown): unknown {
  if (typeof value === "string") return toPostgresText(value);
  if (Array.isArray(value)) return value.map(toParameter);
  return value;
}
