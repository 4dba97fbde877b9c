/**
 * Runs one response to its end for either transport: numbers the events (contiguous from 0,
 * PRODUCT.md §8.17), folds them into the Response object, and stores the outcome when asked.
 * A consumer that stops early (client gone) still leaves a stored `cancelled` response.
 */
import type { ApiError } from "../errors/api-error.js";
import { toApiError } from "../errors/to-api-error.js";
import {
  TERMINAL_EVENT_TYPES,
  type ResponseEvent,
  type ResponseEventBody,
} from "./response-events.js";
import type { ResponseObject } from "./response-types.js";
import { ResponseAccumulator } from "./accumulate-response.js";

export interface ExecutionHooks {
  /** Called once with the final object (completed, failed, incomplete or cancelled). */
  onFinish(response: ResponseObject): Promise<void>;
  /**
   * Called with a failure's mapped error and its cause, for logging, when the failure ends a
   * stream already under way; not when the consumer hands it back to its caller (`collect`,
   * `failureGoesToCaller`), which reports it, so a failure is logged once.
   */
  onFailure(error: ApiError, cause: unknown): void;
  /** Called last, always — also when the run failed before its first event. */
  onSettled?(): void;
}

export class ResponseExecution {
  private readonly accumulator = new ResponseAccumulator();
  private failureError: ApiError | null = null;
  private failureToCaller = false;
  private nextSequence = 0;

  constructor(
    private readonly source: AsyncGenerator<ResponseEventBody>,
    private readonly hooks: ExecutionHooks,
  ) {}

  /** The mapped failure once the events have ended with `response.failed`; null otherwise. */
  get failure(): ApiError | null {
    return this.failureError;
  }

  get response(): ResponseObject | null {
    return this.accumulator.response;
  }

  /**
   * The consumer will throw the failure to its caller (an SSE response that fails before its
   * headers are out), which logs it: the `onFailure` hook is skipped.
   */
  failureGoesToCaller(): void {
    this.failureToCaller = true;
  }

  /**
   * The events, numbered. The final object is stored (and appended to its conversation) before
   * the terminal event is yielded, so a client that reads `response.completed` and at once
   * retrieves the response finds it.
   */
  async *events(): AsyncGenerator<ResponseEvent> {
    let finished = false;
    let stored = false;
    try {
      for await (const body of this.source) {
        this.accumulator.apply(body);
        const event = { ...body, sequence_number: this.nextSequence++ };
        if (TERMINAL_EVENT_TYPES.has(body.type)) {
          finished = true;
          stored = true;
          await this.#finish();
        }
        yield event;
      }
    } catch (error) {
      if (finished) {
        this.failureError = toApiError(error);
        if (!this.failureToCaller) this.hooks.onFailure(this.failureError, error);
      } else {
        throw error;
      }
    } finally {
      try {
        if (!stored) {
          if (this.accumulator.response) this.accumulator.response.status = "cancelled";
          await this.#finish();
        }
      } finally {
        this.hooks.onSettled?.();
      }
    }
  }

  async #finish(): Promise<void> {
    const response = this.accumulator.response;
    if (response) await this.hooks.onFinish(response);
  }

  /** Drains the events (the JSON path) and returns the final object, or throws the failure. */
  async collect(): Promise<ResponseObject> {
    this.failureGoesToCaller();
    for await (const _event of this.events()) {
      // folding happens in events()
    }
    if (this.failureError) throw this.failureError;
    const response = this.accumulator.response;
    if (!response) throw new Error("response produced no events");
    return response;
  }
}
