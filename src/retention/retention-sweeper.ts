/**
 * Expires stored responses by age (issue 13 §5, `storage.retention_days`): every `intervalMs`, one
 * replica of the cluster (the one that gets the `retention` lock; the others skip that round)
 * deletes responses created more than `retentionDays` ago, with their input items, in batches of
 * `batchSize`, each its own short transaction, yielding between batches so requests keep their
 * share of the database. Conversations and their items are not expired here: they belong to the
 * conversation, which lives until it is deleted (README "Retention").
 */
import type { Logger } from "pino";
import type { ClusterLocks } from "../store/cluster-locks.js";
import type { ResponseStore } from "../store/response-store.js";

const DAY_S = 86_400;

export interface RetentionSweeperOptions {
  retentionDays: number;
  responses: ResponseStore;
  locks: ClusterLocks;
  logger: Logger;
  /** Between sweeps (default 10 minutes). */
  intervalMs?: number;
  /** Responses per delete transaction (default 500). */
  batchSize?: number;
  /** Unix milliseconds (tests move time). */
  now?: () => number;
}

export class RetentionSweeper {
  readonly #options: RetentionSweeperOptions;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<number> | null = null;
  #stopped = false;

  constructor(options: RetentionSweeperOptions) {
    this.#options = options;
  }

  /** Sweeps now in the background, then every interval. */
  start(): void {
    void this.sweep();
    this.#timer = setInterval(() => void this.sweep(), this.#options.intervalMs ?? 600_000);
    this.#timer.unref();
  }

  /**
   * One sweep: how many responses this replica deleted (0 when another replica holds the lock).
   * Failures are logged, never thrown: the next sweep tries again. Joins a sweep in flight.
   */
  sweep(): Promise<number> {
    this.#sweeping ??= this.#sweepOnce().finally(() => (this.#sweeping = null));
    return this.#sweeping;
  }

  /** Stops the timer and ends a sweep in flight after its current batch. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#sweeping;
  }

  async #sweepOnce(): Promise<number> {
    const { responses, locks, logger, retentionDays } = this.#options;
    const batchSize = this.#options.batchSize ?? 500;
    const now = this.#options.now ?? Date.now;
    const cutoff = Math.floor(now() / 1000) - retentionDays * DAY_S;
    try {
      const outcome = await locks.tryHold("retention", async (lost) => {
        let deleted = 0;
        while (!this.#stopped && !lost.aborted) {
          const batch = await responses.deleteCreatedBefore(cutoff, batchSize);
          deleted += batch;
          if (batch < batchSize) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
        return deleted;
      });
      if (!outcome.held) return 0;
      if (outcome.value > 0)
        logger.info(
          { deleted: outcome.value, retention_days: retentionDays },
          "deleted stored responses past their retention",
        );
      return outcome.value;
    } catch (error) {
      logger.warn({ err: error }, "retention sweep failed; the next one tries again");
      return 0;
    }
  }
}
