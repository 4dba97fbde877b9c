import { RegistryError } from "../errors/registry-error.js";

/**
 * The outage a live registry lookup last ran into, remembered for `failureCacheMs`
 * (`server.registries.failure_cache_ms`): until then every lookup throws it at once, with
 * `retryAt`, instead of each waiting out the retries against a registry that is down.
 */
export class RememberedOutage {
  readonly #failureCacheMs: number;
  readonly #now: () => Date;
  #outage: RegistryError | null = null;

  constructor(failureCacheMs: number, now: () => Date) {
    this.#failureCacheMs = failureCacheMs;
    this.#now = now;
  }

  /** Throws the remembered outage while it lasts; forgets it once `retryAt` has passed. */
  throwIfRemembered(): void {
    const outage = this.#outage;
    if (outage === null || outage.retryAt === null) return;
    if (this.#now().getTime() >= outage.retryAt) {
      this.#outage = null;
      return;
    }
    throw outage;
  }

  /** The error to throw for `error`: an outage is remembered (with `retryAt`), anything else not. */
  remember(error: RegistryError): RegistryError {
    if (!error.isOutage || this.#failureCacheMs === 0) return error;
    const outage = new RegistryError(error.message, {
      kind: error.kind,
      status: error.status,
      retryAt: this.#now().getTime() + this.#failureCacheMs,
      cause: error,
    });
    this.#outage = outage;
    return outage;
  }

  /** The registry answered: lookups go to it again. */
  forget(): void {
    this.#outage = null;
  }
}
