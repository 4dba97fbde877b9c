/**
 * `BackgroundRunStore` on the embedded SQLite database: events and runs in two tables next to the
 * responses (migration 5). Leases are measured by this process's clock, the only one there is.
 */
import type { ResponseEvent } from "../../responses/response-events.js";
import type { BackgroundRunStore, LeaseRenewal } from "../background-run-store.js";
import { MAX_EVENT_PAGE } from "../background-run-store.js";
import { readStoredEvent } from "../stored-response-checks.js";
import type { SqliteDatabase } from "./open-sqlite-database.js";
import { settle } from "./settle.js";

interface EventRow {
  sequenceNumber: number;
  body: string;
}

export class SqliteBackgroundRunStore implements BackgroundRunStore {
  readonly #startRun: (responseId: string, runner: string, leaseUntil: number) => void;
  readonly #appendEvents: (responseId: string, events: readonly ResponseEvent[]) => void;
  readonly #readEvents: (responseId: string, after: number, limit: number) => EventRow[];
  readonly #lastSequenceNumber: (responseId: string) => number;
  readonly #renewLease: (
    responseId: string,
    runner: string,
    leaseUntil: number,
  ) => LeaseRenewal | null;
  readonly #requestCancel: (responseId: string) => boolean;
  readonly #isRunning: (responseId: string) => boolean;
  readonly #finishRun: (responseId: string, runner: string) => void;
  readonly #claimExpiredRuns: (
    runner: string,
    now: number,
    leaseUntil: number,
    limit: number,
  ) => string[];

  constructor(db: SqliteDatabase) {
    const insertRun = db.prepare<[string, string, number]>(
      `INSERT INTO background_runs (response_id, runner, lease_until) VALUES (?, ?, ?)
       ON CONFLICT (response_id) DO UPDATE SET runner = excluded.runner,
         lease_until = excluded.lease_until, cancel_requested = 0`,
    );
    const insertEvent = db.prepare<[string, number, string]>(
      "INSERT OR IGNORE INTO response_events (response_id, sequence_number, body) VALUES (?, ?, ?)",
    );
    const selectEvents = db.prepare<[string, number, number], EventRow>(
      `SELECT sequence_number AS sequenceNumber, body FROM response_events
       WHERE response_id = ? AND sequence_number > ? ORDER BY sequence_number LIMIT ?`,
    );
    const selectLast = db.prepare<[string], { last: number | null }>(
      "SELECT MAX(sequence_number) AS last FROM response_events WHERE response_id = ?",
    );
    const renew = db.prepare<[number, string, string], { cancelRequested: number }>(
      `UPDATE background_runs SET lease_until = ? WHERE response_id = ? AND runner = ?
       RETURNING cancel_requested AS cancelRequested`,
    );
    const cancel = db.prepare<[string]>(
      "UPDATE background_runs SET cancel_requested = 1 WHERE response_id = ?",
    );
    const selectRun = db.prepare<[string]>("SELECT 1 FROM background_runs WHERE response_id = ?");
    const deleteRun = db.prepare<[string, string]>(
      "DELETE FROM background_runs WHERE response_id = ? AND runner = ?",
    );
    const claimExpired = db.prepare<[string, number, number, number], { responseId: string }>(
      `UPDATE background_runs SET runner = ?, lease_until = ? WHERE response_id IN (
         SELECT response_id FROM background_runs WHERE lease_until <= ? LIMIT ?)
       RETURNING response_id AS responseId`,
    );

    this.#startRun = (responseId, runner, leaseUntil) => {
      insertRun.run(responseId, runner, leaseUntil);
    };
    this.#appendEvents = db.transaction((responseId: string, events: readonly ResponseEvent[]) => {
      for (const event of events) {
        insertEvent.run(responseId, event.sequence_number, JSON.stringify(event));
      }
    });
    this.#readEvents = (responseId, after, limit) =>
      selectEvents.all(responseId, after, Math.min(limit, MAX_EVENT_PAGE));
    this.#lastSequenceNumber = (responseId) => selectLast.get(responseId)?.last ?? -1;
    this.#renewLease = (responseId, runner, leaseUntil) => {
      const row = renew.get(leaseUntil, responseId, runner);
      return row === undefined ? null : { cancelRequested: row.cancelRequested === 1 };
    };
    this.#requestCancel = (responseId) => cancel.run(responseId).changes > 0;
    this.#isRunning = (responseId) => selectRun.get(responseId) !== undefined;
    this.#finishRun = (responseId, runner) => {
      deleteRun.run(responseId, runner);
    };
    this.#claimExpiredRuns = (runner, now, leaseUntil, limit) =>
      claimExpired.all(runner, leaseUntil, now, limit).map((row) => row.responseId);
  }

  startRun(responseId: string, runner: string, leaseMs: number): Promise<void> {
    return settle(() => this.#startRun(responseId, runner, Date.now() + leaseMs));
  }

  appendEvents(responseId: string, events: readonly ResponseEvent[]): Promise<void> {
    return settle(() => this.#appendEvents(responseId, events));
  }

  readEvents(responseId: string, after: number, limit: number): Promise<ResponseEvent[]> {
    return settle(() =>
      this.#readEvents(responseId, after, limit).map((row) => readStoredEvent(responseId, row)),
    );
  }

  lastSequenceNumber(responseId: string): Promise<number> {
    return settle(() => this.#lastSequenceNumber(responseId));
  }

  renewLease(responseId: string, runner: string, leaseMs: number): Promise<LeaseRenewal | null> {
    return settle(() => this.#renewLease(responseId, runner, Date.now() + leaseMs));
  }

  requestCancel(responseId: string): Promise<boolean> {
    return settle(() => this.#requestCancel(responseId));
  }

  isRunning(responseId: string): Promise<boolean> {
    return settle(() => this.#isRunning(responseId));
  }

  finishRun(responseId: string, runner: string): Promise<void> {
    return settle(() => this.#finishRun(responseId, runner));
  }

  claimExpiredRuns(runner: string, leaseMs: number, limit: number): Promise<string[]> {
    return settle(() => {
      const now = Date.now();
      return this.#claimExpiredRuns(runner, now, now + leaseMs, limit);
    });
  }
}
