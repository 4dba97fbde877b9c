import { once } from "node:events";

/** Settles with `promise`, or rejects with the abort reason once `signal` aborts first. */
export async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  const done = new AbortController();
  const aborted = once(signal, "abort", { signal: done.signal }).then((): never => {
    throw signal.reason;
  });
  aborted.catch(() => undefined);
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    done.abort();
  }
}
