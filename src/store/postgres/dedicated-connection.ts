/**
 * One PostgreSQL connection outside the pool (ADR 0029), for state that lives exactly as long as a
 * connection: a `LISTEN`, a session advisory lock. Its failures never leave as driver errors (they
 * can reference the connection and its password): `connect` rejects with
 * `StorageUnavailableError`, and `lost` aborts when the connection dies afterwards.
 */
import { Client, type ClientConfig } from "pg";
import { StorageUnavailableError } from "../../errors/storage-unavailable-error.js";
import { classifyPostgresFailure } from "./classify-postgres-failure.js";

export interface DedicatedConnectionTarget {
  config: ClientConfig;
  /** `PostgreSQL user@host:port/db`, for messages. */
  description: string;
}

export class DedicatedConnection {
  readonly client: Client;
  readonly #description: string;
  readonly #lost = new AbortController();
  #ended: Promise<void> | null = null;

  private constructor(target: DedicatedConnectionTarget) {
    this.client = new Client(target.config);
    this.#description = target.description;
    this.client.on("error", (error) => this.#lose(error));
    this.client.on("end", () => this.#lose(new Error("Connection terminated")));
  }

  /** Aborts (with a `StorageUnavailableError`) once the connection is gone, `end()` included. */
  get lost(): AbortSignal {
    return this.#lost.signal;
  }

  static async connect(target: DedicatedConnectionTarget): Promise<DedicatedConnection> {
    const connection = new DedicatedConnection(target);
    try {
      await connection.client.connect();
    } catch (error) {
      await connection.end();
      throw connection.unavailable(error);
    }
    return connection;
  }

  /** Runs one statement; a failure becomes `StorageUnavailableError` with the reason only. */
  async query<Row>(sql: string, parameters: readonly unknown[] = []): Promise<Row[]> {
    try {
      const result = await this.client.query(sql, [...parameters]);
      return result.rows as Row[];
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  /** Closes the connection (freeing its session locks); idempotent, never rejects. */
  end(): Promise<void> {
    this.#ended ??= this.client.end().catch(() => undefined);
    return this.#ended;
  }

  unavailable(error: unknown): StorageUnavailableError {
    const failure = classifyPostgresFailure(error);
    return new StorageUnavailableError(`${this.#description} is unavailable (${failure.reason})`);
  }

  #lose(error: unknown): void {
    if (!this.#lost.signal.aborted) this.#lost.abort(this.unavailable(error));
  }
}
