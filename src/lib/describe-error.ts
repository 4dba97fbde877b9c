/**
 * One line for an error from a network call. `fetch failed` alone says nothing; undici and Node
 * put the useful part (`ECONNREFUSED …`) in `cause`, so it is appended.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error && cause.message) return `${error.message} (${cause.message})`;
  return error.message;
}
