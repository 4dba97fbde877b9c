import { UpstreamModelError } from "../errors/upstream-model-error.js";
import { Deadline } from "../lib/deadline.js";
import { describeError } from "../lib/describe-error.js";

const DISPOSED = new Error("upstream call disposed");

/** What a step of the exchange was waiting for, to name the failure when it fails. */
export type UpstreamPhase = "connect" | "read";

/**
 * One request to a model server under two stop conditions: the caller's signal (the client went
 * away) and a watchdog of `timeoutMs` over every wait for upstream bytes (PRODUCT.md §8.15: no first
 * byte in time → 504; a stalled stream counts too). The watchdog runs only while waiting on
 * upstream, never while the caller holds an event, so a slow client is not an upstream timeout.
 * Failures come out classified: the caller's abort reason as is, else an `UpstreamModelError`.
 */
export class UpstreamCall {
  readonly #caller: AbortSignal;
  readonly #deadline: Deadline;
  readonly #timeoutMs: number;
  readonly #modelServer: string | null;

  /** @param modelServer the server's URL without credentials, named when it cannot be reached */
  constructor(callerSignal: AbortSignal, timeoutMs: number, modelServer: string | null = null) {
    this.#caller = callerSignal;
    this.#deadline = new Deadline(callerSignal);
    this.#timeoutMs = timeoutMs;
    this.#modelServer = modelServer;
  }

  /** Pass to the request: aborts on the caller's abort, on timeout and on `dispose`. */
  get signal(): AbortSignal {
    return this.#deadline.signal;
  }

  /**
   * Awaits one upstream operation under the watchdog (`timeoutMs`, or what is left of a longer
   * wait), classifying any failure.
   */
  async guard<T>(
    phase: UpstreamPhase,
    operation: () => Promise<T>,
    timeoutMs = this.#timeoutMs,
  ): Promise<T> {
    try {
      return await this.#deadline.within(timeoutMs, () => this.#expired(phase), operation);
    } catch (reason) {
      throw this.#classify(phase, reason);
    }
  }

  /** Releases the connection (if still open) and the caller-signal listener. */
  dispose(): void {
    this.#deadline.release();
    // A shared reason: `abort()` without one builds a DOMException (with a stack) per model turn.
    this.#deadline.abort(DISPOSED);
  }

  #expired(phase: UpstreamPhase): UpstreamModelError {
    const message =
      phase === "connect"
        ? `Model server sent no response within ${this.#timeoutMs} ms.`
        : `Model server stream stalled for ${this.#timeoutMs} ms.`;
    return new UpstreamModelError(message, { kind: "timeout" });
  }

  /** `reason` is already the caller's abort reason, our expiry, or the operation's own error. */
  #classify(phase: UpstreamPhase, reason: unknown): unknown {
    if (this.#caller.aborted || reason instanceof UpstreamModelError) return reason;
    if (phase === "connect") {
      const server = this.#modelServer === null ? "" : ` at ${this.#modelServer}`;
      return new UpstreamModelError(
        `Could not connect to the model server${server}: ${describeError(reason)}`,
        { kind: "connection", modelServer: this.#modelServer, cause: reason },
      );
    }
    return new UpstreamModelError(
      `Model server stream ended unexpectedly: ${describeError(reason)}`,
      { kind: "protocol", cause: reason },
    );
  }
}
