/**
 * Errors that cross the HTTP boundary. Every one serializes to OpenAI's envelope
 * `{"error":{"message","type","param","code"}}` (reference openai-responses-mcp.md §5.6).
 * Only `toApiError` creates these from domain errors; the HTTP layer may throw them directly.
 */
export type ApiErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "conflict_error"
  | "rate_limit_error"
  | "server_error"
  | "external_connector_error";

export interface ApiErrorInit {
  status: number;
  type: ApiErrorType;
  message: string;
  code?: string | null;
  param?: string | null;
  headers?: Record<string, string>;
  /** True only for a failure nothing recognised (a bug): logged with its stack trace. */
  unexpected?: boolean;
  cause?: unknown;
}

export interface ErrorEnvelope {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: ApiErrorType;
  readonly code: string | null;
  readonly param: string | null;
  /** Extra response headers, e.g. `Retry-After` passed on from an upstream 429. */
  readonly headers: Record<string, string>;
  /**
   * A failure `toApiError` did not recognise: its cause is logged with the stack. Every other
   * error, a model server that is down included, is an expected condition worth one log line.
   */
  readonly unexpected: boolean;

  constructor(init: ApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "ApiError";
    this.status = init.status;
    this.type = init.type;
    this.code = init.code ?? null;
    this.param = init.param ?? null;
    this.headers = init.headers ?? {};
    this.unexpected = init.unexpected ?? false;
  }

  toEnvelope(): ErrorEnvelope {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
  }
}
