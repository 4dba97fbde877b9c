/**
 * Decorates a `ChatModel` with latency and error telemetry (PRODUCT.md §7 "/metrics"), so adapters
 * stay free of observability code.
 */
import { UpstreamModelError } from "../errors/upstream-model-error.js";
import type { ModelCallObservation, Telemetry } from "../observability/telemetry.js";
import type { ChatEvent, ChatModel, ChatRequest } from "./chat-model.js";

export class InstrumentedChatModel implements ChatModel {
  constructor(
    private readonly inner: ChatModel,
    private readonly providerId: string,
    private readonly telemetry: Pick<Telemetry, "recordModelCall">,
  ) {}

  async *stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatEvent> {
    const started = performance.now();
    let outcome: ModelCallObservation["outcome"] = "aborted";
    let errorKind: string | null = null;
    try {
      yield* this.inner.stream(request, signal);
      outcome = "ok";
    } catch (error) {
      if (error instanceof UpstreamModelError) {
        outcome = "error";
        errorKind = error.status ? `http_${error.status}` : error.kind;
      }
      throw error;
    } finally {
      this.telemetry.recordModelCall({
        provider: this.providerId,
        outcome,
        errorKind,
        durationMs: performance.now() - started,
      });
    }
  }
}
