/**
 * Decorates a `ChatModel` with latency and error metrics (PRODUCT.md §7 "/metrics"), so adapters
 * stay free of observability code.
 */
import { UpstreamModelError } from "../errors/upstream-model-error.js";
import type { Metrics } from "../observability/metrics.js";
import type { ChatEvent, ChatModel, ChatRequest } from "./chat-model.js";

export class InstrumentedChatModel implements ChatModel {
  constructor(
    private readonly inner: ChatModel,
    private readonly providerId: string,
    private readonly metrics: Metrics,
  ) {}

  async *stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatEvent> {
    const stop = this.metrics.modelDuration.startTimer({ provider: this.providerId });
    let outcome = "aborted";
    try {
      yield* this.inner.stream(request, signal);
      outcome = "ok";
    } catch (error) {
      if (error instanceof UpstreamModelError) {
        outcome = "error";
        this.metrics.modelErrors.inc({
          provider: this.providerId,
          kind: error.status ? `http_${error.status}` : error.kind,
        });
      }
      throw error;
    } finally {
      stop({ outcome });
    }
  }
}
