/**
 * `BackgroundRunStore` on PostgreSQL (issue 13 §4): the same two tables as SQLite (migration 5).
 * Leases are measured by the database's clock, so replicas with drifting clocks still agree on
 * when one has expired. Every method is one statement.
 */
import type { ResponseEvent } from "../../responses/response-events.js";
import type { BackgroundRunStore, LeaseRenewal } from "../background-run-store.js";
import { MAX_EVENT_PAGE } from "../background-run-store.js";
import { readStoredEvent } from "../stored-response-checks.js";
import type { PostgresDatabase } from "./postgres-database.js";

/** Epoch milliseconds by the database's clock, plus the parameter `$n` milliseconds. */
const inMs = (parameter: string): string =>
  `(extract(epoch FROM clock_timestamp()) * 1000)::bigint + ${parameter}`;

interface EventRow {
  sequenceNumber: number;
  body: string;
}

export class PostgresBackgroundRunStore implements BackgroundRunStore {
  readonly #database: PostgresDatabase;

  constructor(database: PostgresDatabase) {
    this.#database = database;
  }

  async startRun(responseId: string, runner: string, leaseMs: number): Promise<void> {
    await this.#database.transaction((session) =>
      session.query(
        `INSERT INTO background_runs (response_id, runner, lease_until)
         VALUES ($1, $2, ${inMs("$3")})
         ON CONFLICT (response_id) DO UPDATE SET runner = excluded.runner,
           lease_until = excluded.lease_until, cancel_requested = false`,
        [responseId, runner, leaseMs],
      ),
    );
  }

  async appendEvents(responseId: string, events: readonly ResponseEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.#database.transaction((session) =>
      session.query(
        `INSERT INTO response_events (response_id, sequence_number, body)
         SELECT $1, event.sequence_number, event.body
         FROM unnest($2::integer[], $3::text[]) AS event (sequence_number, body)
         ON CONFLICT (response_id, sequence_number) DO NOTHING`,
        [
          responseId,
          events.map((event) => event.sequence_number),
          events.map((event) => JSON.stringify(event)),
        ],
      ),
    );
  }

  readEvents(responseId: string, after: number, limit: number): Promise<ResponseEvent[]> {
    return this.#database.read(async (session) => {
      const { rows } = await session.query<EventRow>(
        `SELECT sequence_number AS "sequenceNumber", body FROM response_events
         WHERE response_id = $1 AND sequence_number > $2 ORDER BY sequence_number LIMIT $3`,
        [responseId, after, Math.min(limit, MAX_EVENT_PAGE)],
      );
      return rows.map((row) => readStoredEvent(responseId, row));
    });
  }

  lastSequenceNumber(responseId: string): Promise<number> {
    return this.#database.read(async (session) => {
      const { rows } = await session.query<{ last: number }>(
        `SELECT coalesce(max(sequence_number), -1) AS last FROM response_events
         WHERE response_id = $1`,
        [responseId],
      );
      return rows[0]?.last ?? -1;
    });
  }

  renewLease(responseId: string, runner: string, leaseMs: number): Promise<LeaseRenewal | null> {
    return this.#database.transaction(async (session) => {
      const { rows } = await session.query<{ cancelRequested: boolean }>(
        `UPDATE background_runs SET lease_until = ${inMs("$3")}
         WHERE response_id = $1 AND runner = $2
         RETURNING cancel_requested AS "cancelRequested"`,
        [responseId, runner, leaseMs],
      );
      const row = rows[0];
      return row === undefined ? null : { cancelRequested: row.cancelRequested };
    });
  }

  requestCancel(responseId: string): Promise<boolean> {
    return this.#database.transaction(async (session) => {
      const { rowCount } = await session.query(
        "UPDATE background_runs SET cancel_requested = true WHERE response_id = $1",
        [responseId],
      );
      return rowCount > 0;
    });
  }

  isRunning(responseId: string): Promise<boolean> {
    return this.#database.read(async (session) => {
      const { rowCount } = await session.query(
        "SELECT 1 FROM background_runs WHERE response_id = $1",
        [responseId],
      );
      return rowCount > 0;
    });
  }

  async finishRun(responseId: string, runner: string): Promise<void> {
    await this.#database.transaction((session) =>
      session.query("DELETE FROM background_runs WHERE response_id = $1 AND runner = $2", [
        responseId,
        runner,
      ]),
    );
  }

  /** `SKIP LOCKED`: replicas sweeping at once split the expired runs instead of queueing. */
  claimExpiredRuns(runner: string, leaseMs: number, limit: number): Promise<string[]> {
    return this.#database.transaction(async (session) => {
      const { rows } = await session.query<{ responseId: string }>(
        `UPDATE background_runs SET runner = $1, lease_until = ${inMs("$2")}
         WHERE response_id IN (
           SELECT response_id FROM background_runs WHERE lease_until <= ${inMs("0")}
           ORDER BY lease_until LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING response_id AS "responseId"`,
        [runner, leaseMs, limit],
      );
      return rows.map((row) => row.responseId);
    });
  }
}
