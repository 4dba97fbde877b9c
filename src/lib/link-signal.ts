/**
 * Runs `run` with a private child of `parent`, and removes the one listener it adds to `parent`
 * when `run` settles. Why: the MCP SDK adds an `abort` listener to every request's signal and never
 * removes it, and undici does the same per `fetch`; on a long-lived signal (one session, one
 * response) those pile up into `MaxListenersExceededWarning` (dependencies-node20.md §3).
 * Handing them a throwaway child keeps the long-lived signal to one listener per request in flight.
 */
export async function withLinkedSignal<T>(
  parent: AbortSignal,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const unlink = linkSignal(parent);
  try {
    return await run(unlink.signal);
  } finally {
    unlink.release();
  }
}

/**
 * The lower-level form of `withLinkedSignal`, for links that outlive one promise (a response
 * body, a whole response). Pass `controller` to forward `parent` into an existing controller
 * (several parents, one child) instead of a fresh one.
 */
export function linkSignal(
  parent: AbortSignal,
  controller = new AbortController(),
): { signal: AbortSignal; controller: AbortController; release: () => void } {
  const forward = (): void => controller.abort(parent.reason);
  if (parent.aborted) {
    controller.abort(parent.reason);
  } else {
    parent.addEventListener("abort", forward, { once: true });
  }
  return {
    signal: controller.signal,
    controller,
    release: () => parent.removeEventListener("abort", forward),
  };
}
