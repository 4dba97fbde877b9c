/**
 * One background response running on this replica (issue 14 §2, issue 13 §4): it holds the run's
 * lease in the store, renewing it every `pollMs` and learning there of a cancel requested on any
 * replica; it stores every event as it happens and wakes this replica's followers. When the lease
 * is lost (the response was deleted, or this replica stalled past the lease and another one failed
 * the response), the run stops and stores nothing more.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "pino";
import type { BackgroundRunStore } from "../../store/background-run-store.js";
import type { ResponseEvent } from "../response-events.js";
import { EventLog } from "./event-log.js";
import type { RunWakeups } from "./run-wakeups.js";

export interface BackgroundRunDeps {
  runs: BackgroundRunStore;
  wakeups: RunWakeups;
  logger: Logger;
  /** This replica's id in the store's run rows. */
  runner: string;
  leaseMs: number;
  /** How often the lease is renewed and the cancel request read. */
  pollMs: number;
}

/** Why a background run was stopped by a cancel request (`POST …/cancel`). */
export class CancelRequestedError extends Error {
  constructor() {
    super("The response was cancelled.");
    this.name = "CancelRequestedError";
  }
}

export class BackgroundRun {
  readonly controller = new AbortController();
  readonly #log: EventLog;
  #owned = true;
  #heartbeat: Promise<void> | null = null;
  readonly #stopHeartbeat = new AbortController();

  private constructor(
    readonly responseId: string,
    private readonly deps: BackgroundRunDeps,
  ) {
    this.#log = new EventLog(responseId, {
      runs: deps.runs,
      logger: deps.logger,
      onStored: () => deps.wakeups.wake(responseId),
    });
  }

  /** Takes the lease of a stored, queued response. */
  static async begin(responseId: string, deps: BackgroundRunDeps): Promise<BackgroundRun> {
    await deps.runs.startRun(responseId, deps.runner, deps.leaseMs);
    const run = new BackgroundRun(responseId, deps);
    run.#heartbeat = run.#renewLeaseUntilStopped();
    return run;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** False once the run is no longer this replica's to store: its results must be dropped. */
  get owned(): boolean {
    return this.#owned;
  }

  /** Gives the run up (its response was deleted here) and stops it. */
  discard(): void {
    this.#lose();
    this.controller.abort(new CancelRequestedError());
  }

  /** Stores `event` for followers (see `EventLog` for when this waits). */
  record(event: ResponseEvent): Promise<void> {
    return this.#log.append(event);
  }

  /**
   * Ends the run: every event stored (waiting at most one lease), then the run row removed, so
   * followers that find no run and no new event know the stream is over.
   */
  async finish(): Promise<void> {
    this.#stopHeartbeat.abort();
    await this.#heartbeat;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.deps.leaseMs);
    });
    const drained = await Promise.race([this.#log.drain().then(() => false), gaveUp]);
    clearTimeout(timer);
    if (drained) {
      this.deps.logger.error(
        { response_id: this.responseId },
        "background events could not be stored within the lease; followers may miss the end",
      );
      this.#log.close();
    }
    try {
      if (this.#owned) await this.deps.runs.finishRun(this.responseId, this.deps.runner);
    } catch (error) {
      // The lease then expires and another sweep settles the (already stored) response.
      this.deps.logger.warn({ err: error, response_id: this.responseId }, "could not end a run");
    } finally {
      this.deps.wakeups.wake(this.responseId);
    }
  }

  #lose(): void {
    this.#owned = false;
    this.#log.close();
  }

  async #renewLeaseUntilStopped(): Promise<void> {
    const stop = this.#stopHeartbeat.signal;
    while (!stop.aborted) {
      await delay(this.deps.pollMs, undefined, { signal: stop }).catch(() => undefined);
      if (stop.aborted) return;
      try {
        const renewal = await this.deps.runs.renewLease(
          this.responseId,
          this.deps.runner,
          this.deps.leaseMs,
        );
        if (renewal === null) {
          this.deps.logger.warn(
            { response_id: this.responseId },
            "background run lost its lease (deleted, or failed by another replica); stopping it",
          );
          this.discard();
          return;
        }
        if (renewal.cancelRequested) this.controller.abort(new CancelRequestedError());
      } catch (error) {
        this.deps.logger.warn(
          { err: error, response_id: this.responseId },
          "could not renew a background run's lease",
        );
      }
    }
  }
}
