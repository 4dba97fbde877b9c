/**
 * Writes a background run's events to the store as they happen (issue 14 §2), in batches: while
 * one write is under way the next events gather, so a fast run costs one statement per round trip
 * rather than one per delta. Followers read the store, never this buffer, so a slow reader cannot
 * slow the run; only the database can, once `MAX_BACKLOG` events wait to be written.
 */
import type { Logger } from "pino";
import type { BackgroundRunStore } from "../../store/background-run-store.js";
import type { ResponseEvent } from "../response-events.js";

/** Events waiting for the database before the run itself waits. */
export const MAX_BACKLOG = 1000;

/** Pause after a failed write before the same batch is tried again. */
const RETRY_MS = 100;

export class EventLog {
  readonly #pending: ResponseEvent[] = [];
  #writing: Promise<void> | null = null;
  #closed = false;

  constructor(
    private readonly responseId: string,
    private readonly deps: {
      runs: BackgroundRunStore;
      logger: Logger;
      /** Called after each stored batch (in-process wakeups). */
      onStored: () => void;
    },
  ) {}

  /** Queues `event`; waits only while the backlog is full. */
  async append(event: ResponseEvent): Promise<void> {
    if (this.#closed) return;
    this.#pending.push(event);
    this.#writing ??= this.#write();
    while (this.#pending.length >= MAX_BACKLOG && !this.#closed) {
      const writing = this.#writing as Promise<void> | null;
      if (writing === null) break;
      await writing;
    }
  }

  /** Resolves once every queued event is stored, or the log is closed. */
  async drain(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  /** Drops what is queued and stores nothing more (the run is no longer ours). */
  close(): void {
    this.#closed = true;
    this.#pending.length = 0;
  }

  async #write(): Promise<void> {
    try {
      while (this.#pending.length > 0 && !this.#closed) {
        const batch = this.#pending.slice();
        try {
          await this.deps.runs.appendEvents(this.responseId, batch);
        } catch (error) {
          this.deps.logger.warn(
            { err: error, response_id: this.responseId, events: batch.length },
            "could not store background events; retrying",
          );
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          continue;
        }
        this.#pending.splice(0, batch.length);
        this.deps.onStored();
      }
    } finally {
      this.#writing = null;
    }
  }
}
