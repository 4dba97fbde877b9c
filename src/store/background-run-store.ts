/**
 * The storage port of background runs (issue 14 §2, issue 13 §4): the events of every background
 * response, stored as they happen so any replica can replay and follow them, and one row per run
 * in progress holding the replica that runs it, its lease and a cancel request. Adapters:
 * `SqliteBackgroundRunStore` and `PostgresBackgroundRunStore`; both run
 * `test/contract/background-run-store-contract.ts`.
 *
 * Retention: a response's events are kept as long as the response and deleted with it (`DELETE
 * /v1/responses/{id}` or any expiry of stored responses), like its input items.
 */
import type { ResponseEvent } from "../responses/response-events.js";

/** What the runner learns when it renews its lease. */
export interface LeaseRenewal {
  /** `POST …/cancel` reached some replica: stop the run. */
  cancelRequested: boolean;
}

export interface BackgroundRunStore {
  /**
   * Records that `runner` runs `responseId` for `leaseMs` from now, by the database's clock (one
   * clock for every replica). The response must be stored first; its events and run go with it.
   */
  startRun(responseId: string, runner: string, leaseMs: number): Promise<void>;
  /**
   * Appends events. The first event stored under a `sequence_number` stays: a repeat is ignored,
   * so a retried write is harmless and a late writer cannot fork the sequence.
   */
  appendEvents(responseId: string, events: readonly ResponseEvent[]): Promise<void>;
  /** Up to `limit` events with `sequence_number` greater than `after`, in order. */
  readEvents(responseId: string, after: number, limit: number): Promise<ResponseEvent[]>;
  /** The last stored `sequence_number`, or -1 when there is none. */
  lastSequenceNumber(responseId: string): Promise<number>;
  /**
   * Extends the lease of a run `runner` still holds; `null` when it holds it no more (finished,
   * deleted, or taken over after its lease expired), so the runner stops.
   */
  renewLease(responseId: string, runner: string, leaseMs: number): Promise<LeaseRenewal | null>;
  /** Asks the runner, wherever it runs, to stop; false when no run is in progress. */
  requestCancel(responseId: string): Promise<boolean>;
  /** Whether a run of the response is in progress (started and neither finished nor taken). */
  isRunning(responseId: string): Promise<boolean>;
  /** Ends the run `runner` holds; a run it no longer holds is left alone. */
  finishRun(responseId: string, runner: string): Promise<void>;
  /**
   * Hands up to `limit` runs whose lease has ended (a lease of 0 ms ends at once) to `runner`
   * with a new lease of `leaseMs`, and returns their response ids: each id goes to one caller
   * only, so one replica settles each abandoned response, and the run stays in progress (for
   * followers) until that replica has stored the outcome and calls `finishRun`.
   */
  claimExpiredRuns(runner: string, leaseMs: number, limit: number): Promise<string[]>;
}

/** The most events one `readEvents` call returns: a follower's read buffer is at most this. */
export const MAX_EVENT_PAGE = 100;
