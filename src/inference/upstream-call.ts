import { UpstreamModelError } from "../errors/upstream-model-error.js";
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
  readonly #callerSignal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #timeoutMs: number;
  readonly #modelServer: string | null;
  readonly #onCallerAbort: () => void;
  #timer: NodeJS.Timeout | undefined;

  /** @param modelServer the server's URL without credentials, named when it cannot be reached */
  constructor(callerSignal: AbortSignal, timeoutMs: number, modelServer: string | null = null) {
    this.#callerSignal = callerSignal;
    this.#timeoutMs = timeoutMs;
    this.#modelServer = modelServer;
    this.#onCallerAbort = () => this.#controller.abort(callerSignal.reason);
    callerSignal.addEventListener("abort", this.#onCallerAbort, { once: true });
  }

  /** Pass to the request: aborts on the caller's abort, on timeout, and on `dispose`. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Awaits one upstream operation under the watchdog, classifying any failure. */
  async guard<T>(phase: UpstreamPhase, operation: () => Promise<T>): Promise<T> {
    this.#callerSignal.throwIfAborted();
    this.#timer = setTimeout(() => this.#expire(phase), this.#timeoutMs);
    try {
      return await operation();
    } catch (error) {
      throw this.#classify(phase, error);
    } finally {
      clearTimeout(this.#timer);
    }
  }

  /** Releases the connection (if still open), the timer and the caller-signal listener. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#callerSignal.removeEventListener("abort", this.#onCallerAbort);
    // A shared reason: `abort()` without one builds a DOMException (with a stack) per model turn.
    this.#controller.abort(DISPOSED);
  }

  #expire(phase: UpstreamPhase): void {
    const message =
      phase === "connect"
        ? `Model server sent no response within ${this.#timeoutMs} ms.`
        : `Model server stream stalled for ${this.#timeoutMs} ms.`;
    this.#controller.abort(new UpstreamModelError(message, { kind: "timeout" }));
  }

  #classify(phase: UpstreamPhase, error: unknown): unknown {
    if (this.#callerSignal.aborted) return this.#callerSignal.reason;
    const reason: unknown = this.#controller.signal.reason;
    if (reason instanceof UpstreamModelError) return reason;
    if (error instanceof UpstreamModelError) return error;
    if (phase === "connect") {
      const server = this.#modelServer === null ? "" : ` at ${this.#modelServer}`;
      return new UpstreamModelError(
        `Could not connect to the model server${server}: ${describeError(error)}`,
        { kind: "connection", modelServer: this.#modelServer, cause: error },
      );
    }
    return new UpstreamModelError(
      `Model server stream ended unexpectedly: ${describeError(error)}`,
      {
        kind: "protocol",
        cause: error,
      },
    );
  }
}
