/**
 * `ChangeFeed` on PostgreSQL (issue 13 §2, ADR 0029). Every managed write sends `NOTIFY` on the
 * schema's channel inside its own transaction, so the notice goes out exactly when the write
 * commits. Each replica `LISTEN`s on a connection of its own. A notice can still be missed (the
 * listening connection died, or was reconnecting), so every `reconcileIntervalMs`, and at once
 * after each reconnect, the replica compares every managed object's (id, revision, updated_at)
 * with what it saw last and announces the differences itself.
 */
import type { Logger } from "pino";
import * as z from "zod";
import {
  ChangeListeners,
  type ChangeFeed,
  type ChangeListener,
  type ManagedChange,
} from "../change-feed.js";
import { DedicatedConnection, type DedicatedConnectionTarget } from "./dedicated-connection.js";
import type { PostgresDatabase } from "./postgres-database.js";

/** The channel of a schema's changes: replicas of another schema in the same database stay apart. */
export function changeChannel(schema: string): string {
  return `patchbay_changes:${schema}`;
}

/** What a write `NOTIFY`s: kept small (the payload limit is 8000 bytes; ids are far shorter). */
export function changePayload(change: ManagedChange): string {
  return JSON.stringify(change);
}

const ChangePayloadSchema = z.object({
  kind: z.enum(["connector", "registry"]),
  id: z.string(),
});

export interface PostgresChangeFeedOptions {
  target: DedicatedConnectionTarget;
  database: PostgresDatabase;
  schema: string;
  logger: Logger;
  /** How often the replica reconciles with the tables (default 5 s). */
  reconcileIntervalMs?: number;
  /** How long after losing the listening connection it tries again (default 1 s). */
  reconnectDelayMs?: number;
}

interface SnapshotRow {
  kind: ManagedChange["kind"];
  id: string;
  version: string;
}

export class PostgresChangeFeed implements ChangeFeed {
  readonly #options: PostgresChangeFeedOptions;
  readonly #listeners = new ChangeListeners();
  readonly #channel: string;
  /** `kind id` → `revision updated_at` of every managed object, as last seen. */
  #seen: Map<string, SnapshotRow> | null = null;
  #connection: DedicatedConnection | null = null;
  #reconcileTimer: NodeJS.Timeout | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #reconciling: Promise<void> | null = null;
  #closed = false;

  constructor(options: PostgresChangeFeedOptions) {
    this.#options = options;
    this.#channel = changeChannel(options.schema);
  }

  /** Listens and takes the first snapshot; a failure is logged and retried, never thrown. */
  async start(): Promise<void> {
    await this.#listen();
    await this.reconcile();
    this.#reconcileTimer = setInterval(
      () => void this.reconcile(),
      this.#options.reconcileIntervalMs ?? 5_000,
    );
    this.#reconcileTimer.unref();
  }

  subscribe(listener: ChangeListener): () => void {
    return this.#listeners.subscribe(listener);
  }

  /**
   * Compares the tables with the last snapshot and announces each difference (the first
   * snapshot only records). Joins a reconcile in flight.
   */
  reconcile(): Promise<void> {
    this.#reconciling ??= this.#reconcileOnce().finally(() => (this.#reconciling = null));
    return this.#reconciling;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#reconcileTimer);
    clearTimeout(this.#reconnectTimer);
    await this.#connection?.end();
    await this.#reconciling;
  }

  async #listen(): Promise<void> {
    if (this.#closed) return;
    let connection: DedicatedConnection;
    try {
      connection = await DedicatedConnection.connect(this.#options.target);
      connection.client.on("notification", (message) => this.#onNotification(message.payload));
      await connection.query(`LISTEN "${this.#channel.replaceAll('"', '""')}"`);
    } catch (error) {
      this.#options.logger.warn(
        { reason: describe(error) },
        "cannot listen for changes from other replicas; retrying",
      );
      this.#scheduleReconnect();
      return;
    }
    if (this.#closed) {
      await connection.end();
      return;
    }
    this.#connection = connection;
    connection.lost.addEventListener(
      "abort",
      () => {
        if (this.#closed) return;
        this.#options.logger.warn(
          { reason: describe(connection.lost.reason) },
          "lost the connection listening for changes from other replicas; reconnecting",
        );
        this.#connection = null;
        this.#scheduleReconnect();
      },
      { once: true },
    );
  }

  #scheduleReconnect(): void {
    if (this.#closed) return;
    this.#reconnectTimer = setTimeout(() => {
      // Whatever was announced while nobody listened is caught by reconciling after the LISTEN.
      void this.#listen().then(() => (this.#connection === null ? undefined : this.reconcile()));
    }, this.#options.reconnectDelayMs ?? 1_000);
    this.#reconnectTimer.unref();
  }

  #onNotification(payload: string | undefined): void {
    let change: ManagedChange;
    try {
      change = ChangePayloadSchema.parse(JSON.parse(payload ?? ""));
    } catch {
      this.#options.logger.warn("ignored a malformed change notice");
      return;
    }
    this.#emit(change);
  }

  async #reconcileOnce(): Promise<void> {
    let rows: SnapshotRow[];
    try {
      rows = await this.#options.database.read(async (session) => {
        const result = await session.query<SnapshotRow>(
          `SELECT 'connector' AS kind, id, revision || ' ' || updated_at AS version FROM managed_connectors
           UNION ALL
           SELECT 'registry' AS kind, id, revision || ' ' || updated_at AS version FROM managed_registries`,
        );
        return result.rows;
      });
    } catch (error) {
      this.#options.logger.warn({ reason: describe(error) }, "could not reconcile managed objects");
      return;
    }
    const now = new Map(rows.map((row) => [`${row.kind} ${row.id}`, row]));
    const before = this.#seen;
    this.#seen = now;
    if (before === null) return;
    for (const [key, row] of now) {
      if (before.get(key)?.version !== row.version) this.#emit({ kind: row.kind, id: row.id });
    }
    for (const [key, row] of before) {
      if (!now.has(key)) this.#emit({ kind: row.kind, id: row.id });
    }
  }

  #emit(change: ManagedChange): void {
    this.#listeners.emit(change, (error) =>
      this.#options.logger.error({ err: error, change }, "a change listener failed"),
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
