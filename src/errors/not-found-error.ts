/**
 * An object a caller named does not exist: a 404 in OpenAI's words ("Response with id 'resp_…' not
 * found.") once `toApiError` maps it. `param` is the path parameter or field that named it.
 */
export class NotFoundError extends Error {
  readonly kind: string;
  readonly id: string;
  readonly param: string | null;

  constructor(kind: string, id: string, param: string | null = null) {
    super(`${kind} with id '${id}' not found.`);
    this.name = "NotFoundError";
    this.kind = kind;
    this.id = id;
    this.param = param;
  }
}

/** A `NotFoundError` for the `kind` object `id`, named by `param`. */
export function notFound(kind: string, id: string, param: string | null = null): NotFoundError {
  return new NotFoundError(kind, id, param);
}
