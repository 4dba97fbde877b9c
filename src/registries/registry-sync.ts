/**
 * Keeps one registry's mirror current (PRODUCT.md §5 "Mirror", §8.16): a full crawl in the
 * background at startup (the server is ready before it ends), then an incremental `updated_since`
 * pass every `sync_interval_s`. A failed pass records its error and leaves the mirror as it was, so
 * a registry outage never loses mirrored data; the next interval retries.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { RegistryConfig } from "../config/patchbay-config.js";
import { DEFAULT_REGISTRY_FAILURE_CACHE_MS } from "../config/resolve-config.js";
import { RegistryError } from "../errors/registry-error.js";
import type {
  MirroredServer,
  RegistryMirror,
  RegistrySyncState,
} from "../store/registry-mirror.js";
import { createRegistryNameFilter } from "./create-registry-name-filter.js";
import { crawlRegistry, type CrawlOutcome } from "./crawl-registry.js";
import type { RegistryClient, RegistryServerEntry } from "./registry-types.js";
import { untilAborted } from "../lib/until-aborted.js";
import { RememberedOutage } from "./remembered-outage.js";
import { InProcessClusterLocks, type ClusterLocks } from "../store/cluster-locks.js";

/** Injectable timer functions, so tests drive the interval without waiting. */
export interface SyncTimers {
  setTimer: (callback: () => void, delayMs: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

export interface RegistrySyncOptions extends Partial<SyncTimers> {
  registry: RegistryConfig;
  client: RegistryClient;
  mirror: RegistryMirror;
  logger: Logger;
  now?: () => Date;
  /** Guard against a listing that never ends (default 10,000 pages). */
  maxPages?: number;
  /**
   * After a live lookup finds the registry down, further lookups fail at once for this long
   * instead of each waiting out the retries (default 10 s; 0 remembers nothing).
   */
  failureCacheMs?: number;
  /**
   * One crawl of this registry at a time in the whole cluster (issue 13 §3); default in-process,
   * which is all one process on SQLite needs.
   */
  locks?: ClusterLocks;
}

/** `auto`: full until a pass succeeded with the current URL and filters, else incremental. */
export type SyncMode = "auto" | "full";

export interface SyncResult {
  mode: "full" | "incremental";
  upserted: number;
  deleted: number;
  skipped: number;
  servers: number;
  versions: number;
}

/**
 * Updates after the pass started may be missed (the listing is ordered by name, not by time), so
 * the next `updated_since` never passes the start of this one, less a margin for clock skew
 * between Patchbay and the registry. Re-reading a few minutes of changes is harmless: upserts are
 * idempotent.
 */
const clockSkewMarginMs = 5 * 60_000;

const defaultTimers: SyncTimers = {
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One registry's sync loop; `RegistrySyncs` holds one per configured registry. */
export class RegistrySync {
  readonly registry: RegistryConfig;
  readonly #client: RegistryClient;
  readonly #mirror: RegistryMirror;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #timers: SyncTimers;
  readonly #maxPages: number | undefined;
  readonly #accepts: (name: string) => boolean;
  readonly #fingerprint: string;
  readonly #outage: RememberedOutage;
  readonly #locks: ClusterLocks;
  /** A pass on this replica: null when a periodic pass found the mirror fresh and skipped. */
  #inFlight: Promise<SyncResult | null> | null = null;
  #controller: AbortController | null = null;
  #timer: unknown = null;
  #running = false;

  constructor(options: RegistrySyncOptions) {
    this.registry = options.registry;
    this.#client = options.client;
    this.#mirror = options.mirror;
    this.#logger = options.logger.child({ registry_id: options.registry.id });
    this.#now = options.now ?? (() => new Date());
    this.#timers = {
      setTimer: options.setTimer ?? defaultTimers.setTimer,
      clearTimer: options.clearTimer ?? defaultTimers.clearTimer,
    };
    this.#maxPages = options.maxPages;
    this.#locks = options.locks ?? new InProcessClusterLocks();
    this.#accepts = createRegistryNameFilter(options.registry);
    this.#fingerprint = sourceFingerprint(options.registry);
    this.#outage = new RememberedOutage(
      options.failureCacheMs ?? DEFAULT_REGISTRY_FAILURE_CACHE_MS,
      this.#now,
    );
  }

  /** Starts the loop and returns at once; the first pass runs in the background. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#tick();
  }

  /**
   * Runs one pass now, or joins the one in flight (whatever its mode). `signal` only stops this
   * caller's wait; the pass itself ends with `stop()`. Rejects with the pass's error after
   * recording it in the sync state. While another replica crawls this registry, the pass waits
   * for it to finish, then runs.
   */
  syncNow(signal?: AbortSignal, mode: SyncMode = "auto"): Promise<SyncResult> {
    const inFlight = this.#inFlight;
    const run =
      inFlight === null
        ? this.#forced(mode)
        : inFlight.then((result) => result ?? this.#forced(mode));
    return signal === undefined ? run : untilAborted(run, signal);
  }

  /** Cancels the timer and aborts the pass in flight; resolves once it has settled. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== null) this.#timers.clearTimer(this.#timer);
    this.#timer = null;
    this.#controller?.abort(new Error(`Registry ${this.registry.id} sync stopped`));
    await this.#inFlight?.catch(() => undefined);
  }

  /**
   * The "mirror lacks the name" path of PRODUCT.md §5: one live `GET …/versions/{version|latest}`,
   * mirrored, then read back (so `isLatest` is the mirror's). Null when the registry has no such
   * version or the name is filtered out; throws `RegistryError` when the registry is unreachable.
   * An outage is remembered for `failureCacheMs`: until then lookups throw it at once (with
   * `retryAt`), so a burst of requests for unmirrored names does not each wait out the retries.
   */
  async fetchOne(
    name: string,
    version: string,
    signal: AbortSignal,
  ): Promise<MirroredServer | null> {
    if (!this.#accepts(name)) return null;
    this.#outage.throwIfRemembered();
    let entry: RegistryServerEntry | null;
    try {
      entry = await this.#client.getVersion(name, version, signal);
    } catch (error) {
      if (signal.aborted || !(error instanceof RegistryError)) throw error;
      throw this.#outage.remember(error);
    }
    this.#outage.forget();
    if (entry === null) return null;
    if (entry.name !== name) {
      throw new RegistryError(`Registry ${this.registry.id} answered ${entry.name} for ${name}`, {
        kind: "protocol",
      });
    }
    await this.#mirror.applyEntries(this.registry.id, [entry]);
    return this.#mirror.getVersion(this.registry.id, entry.name, entry.version);
  }

  async #tick(): Promise<void> {
    try {
      await (this.#inFlight ?? this.#begin("auto", true));
    } catch {
      // Already logged and recorded by #run; the next interval retries.
    } finally {
      this.#schedule();
    }
  }

  #schedule(): void {
    if (!this.#running || this.#timer !== null) return;
    this.#timer = this.#timers.setTimer(() => {
      this.#timer = null;
      void this.#tick();
    }, this.registry.syncIntervalS * 1000);
  }

  async #forced(mode: SyncMode): Promise<SyncResult> {
    const result = await (this.#inFlight ?? this.#begin(mode, false));
    if (result === null) throw new Error("A forced registry sync was skipped");
    return result;
  }

  /**
   * Starts a pass under the registry's cluster lock (issue 13 §3). A replica killed mid-crawl
   * frees the lock with its connection, and a replica waiting on it takes over. A periodic pass
   * (`skipIfFresh`) that gets the lock after another replica's pass within the sync interval skips:
   * the mirror is shared, so the cluster crawls once per interval, not once per replica.
   */
  #begin(mode: SyncMode, skipIfFresh: boolean): Promise<SyncResult | null> {
    const controller = new AbortController();
    this.#controller = controller;
    let locked = false;
    const run = this.#locks
      .hold(
        `registry-sync:${this.registry.id}`,
        async (lost) => {
          locked = true;
          if (skipIfFresh && (await this.#isFresh())) {
            this.#logger.info("registry pass skipped: another replica synced within the interval");
            return null;
          }
          this.#logger.info({ mode }, "registry pass started");
          return this.#run(mode, AbortSignal.any([controller.signal, lost]));
        },
        controller.signal,
      )
      .catch((error: unknown) => {
        if (!locked && !controller.signal.aborted)
          this.#logger.warn({ err: error }, "registry sync could not take its cluster lock");
        throw error;
      })
      .finally(() => {
        this.#inFlight = null;
        this.#controller = null;
      });
    this.#inFlight = run;
    return run;
  }

  /** Another replica's pass with the current URL and filters succeeded within the interval. */
  async #isFresh(): Promise<boolean> {
    const state = await this.#mirror.getSyncState(this.registry.id);
    if (state?.lastSuccessAt == null || state.sourceFingerprint !== this.#fingerprint) return false;
    const age = this.#now().getTime() - Date.parse(state.lastSuccessAt);
    return age >= 0 && age < this.registry.syncIntervalS * 1000;
  }

  async #run(mode: SyncMode, signal: AbortSignal): Promise<SyncResult> {
    const registryId = this.registry.id;
    const startedAt = this.#now();
    let previous: RegistrySyncState | null = null;
    try {
      previous = await this.#mirror.getSyncState(registryId);
      // The mark of another URL or filter set means nothing here: such a pass crawls in full.
      const resumeFrom =
        mode === "auto" &&
        previous !== null &&
        previous.lastSuccessAt !== null &&
        previous.sourceFingerprint === this.#fingerprint
          ? previous.updatedSince
          : null;
      const incremental = resumeFrom !== null;
      const outcome = await crawlRegistry({
        registryId,
        client: this.#client,
        mirror: this.#mirror,
        accepts: this.#accepts,
        updatedSince: resumeFrom ?? undefined,
        crawlId: incremental ? undefined : randomUUID(),
        maxPages: this.#maxPages,
        signal,
      });
      this.#outage.forget();
      const counts = await this.#mirror.counts(registryId);
      await this.#mirror.saveSyncState(registryId, {
        lastSuccessAt: this.#now().toISOString(),
        lastAttemptAt: startedAt.toISOString(),
        lastError: null,
        updatedSince: nextHighWaterMark(resumeFrom, outcome, startedAt),
        ...counts,
        skipped: outcome.skipped,
        sourceFingerprint: this.#fingerprint,
      });
      const result: SyncResult = {
        mode: incremental ? "incremental" : "full",
        upserted: outcome.upserted,
        deleted: outcome.deleted,
        skipped: outcome.skipped,
        ...counts,
      };
      this.#logger.info(
        { ...result, duration_ms: this.#now().getTime() - startedAt.getTime() },
        "registry sync finished",
      );
      return result;
    } catch (error) {
      if (signal.aborted) {
        this.#logger.debug("registry sync aborted");
        throw error;
      }
      await this.#recordFailure(previous, startedAt, error);
      throw error;
    }
  }

  async #recordFailure(
    previous: RegistrySyncState | null,
    startedAt: Date,
    error: unknown,
  ): Promise<void> {
    this.#logger.warn({ err: error }, "registry sync failed; the mirror keeps serving");
    try {
      await this.#mirror.saveSyncState(this.registry.id, {
        ...(previous ?? neverSynced),
        lastAttemptAt: startedAt.toISOString(),
        lastError: error instanceof Error ? error.message : String(error),
      });
    } catch (saveError) {
      this.#logger.error({ err: saveError }, "could not record the registry sync failure");
    }
  }
}

const neverSynced: RegistrySyncState = {
  lastSuccessAt: null,
  lastAttemptAt: null,
  lastError: null,
  updatedSince: null,
  servers: 0,
  versions: 0,
  skipped: 0,
  sourceFingerprint: null,
};

/** Never past the pass start (less the skew margin), never behind the previous mark. */
function nextHighWaterMark(
  previous: string | null,
  outcome: CrawlOutcome,
  startedAt: Date,
): string {
  const safeStart = startedAt.getTime() - clockSkewMarginMs;
  let mark = Math.min(outcome.maxUpdatedAt ?? safeStart, safeStart);
  const previousMark = previous === null ? Number.NaN : Date.parse(previous);
  if (!Number.isNaN(previousMark)) mark = Math.max(mark, previousMark);
  return new Date(mark).toISOString();
}

/**
 * What the mirror was built from. Hashed because the URL may carry credentials; headers are left
 * out (they change who may read, not what the registry holds).
 */
function sourceFingerprint(registry: RegistryConfig): string {
  const source = JSON.stringify([registry.url, registry.include, registry.exclude]);
  return createHash("sha256").update(source).digest("hex");
}
