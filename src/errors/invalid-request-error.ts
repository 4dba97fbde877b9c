/**
 * The caller sent something Patchbay refuses (PRODUCT.md §8; OpenAI's 400 `invalid_request_error`),
 * raised where the request is understood and mapped to the wire only by `toApiError`. `param`
 * names the offending field as OpenAI does (`tools[0].server_url`); `code` says why when a client
 * may act on it (`egress_blocked`, `unknown_parameter`).
 */
export class InvalidRequestError extends Error {
  readonly param: string | null;
  readonly code: string | null;

  constructor(
    message: string,
    init: { param?: string | null; code?: string | null; cause?: unknown } = {},
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "InvalidRequestError";
    this.param = init.param ?? null;
    this.code = init.code ?? null;
  }
}

/** An `InvalidRequestError` naming `param`, with an optional `code`. */
export function invalidRequest(
  message: string,
  param: string | null = null,
  code: string | null = null,
): InvalidRequestError {
  return new InvalidRequestError(message, { param, code });
}
