/**
 * A model server failed. Not an HTTP error by itself: `toApiError` maps it (PRODUCT.md §8.15).
 * `kind` says what went wrong; `status` is the upstream HTTP status when there was one.
 */
export type UpstreamFailureKind = "http" | "timeout" | "connection" | "protocol";

export class UpstreamModelError extends Error {
  readonly kind: UpstreamFailureKind;
  readonly status: number | null;
  /** Upstream's `Retry-After`, passed on with a 429. */
  readonly retryAfter: string | null;
  readonly isRetryable: boolean;
  /** The model server's base URL without credentials, when known: named in a connection failure. */
  readonly modelServer: string | null;

  constructor(
    message: string,
    init: {
      kind: UpstreamFailureKind;
      status?: number | null;
      retryAfter?: string | null;
      modelServer?: string | null;
      cause?: unknown;
    },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "UpstreamModelError";
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.retryAfter = init.retryAfter ?? null;
    this.modelServer = init.modelServer ?? null;
    this.isRetryable =
      init.kind === "timeout" ||
      init.kind === "connection" ||
      this.status === 429 ||
      (this.status ?? 0) >= 500;
  }
}
