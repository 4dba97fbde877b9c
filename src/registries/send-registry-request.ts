import { RegistryError } from "../errors/registry-error.js";
import { readLimitedBody } from "./read-limited-body.js";
import { describeError } from "../lib/describe-error.js";

/** One HTTP exchange with a registry, whatever its status; the body is read in full as text. */
export interface RegistryResponse {
  status: number;
  statusText: string;
  text: string;
  /** The raw `Retry-After` header, for the retry loop. */
  retryAfter: string | null;
}

export interface RegistryRequestOptions {
  fetch: typeof fetch;
  headers: Record<string, string>;
  /** Covers the whole exchange: connecting, the headers and the body. */
  timeoutMs: number;
  maxBodyBytes: number;
}

/**
 * One GET to a registry under two stop conditions: the caller's signal (rethrown as its own reason,
 * never wrapped) and a deadline over the whole exchange. Transport failures come out as
 * `RegistryError`s (`timeout`, `connection`, `too_large`); HTTP statuses are returned, not thrown,
 * so the retry loop can look at them (PRODUCT.md §5 "back off on 429/5xx, time out").
 */
export async function sendRegistryRequest(
  url: string,
  options: RegistryRequestOptions,
  signal: AbortSignal,
): Promise<RegistryResponse> {
  signal.throwIfAborted();
  const exchange = new AbortController();
  const onAbort = (): void => exchange.abort(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => {
    const message = `MCP registry did not answer within ${options.timeoutMs} ms.`;
    exchange.abort(new RegistryError(message, { kind: "timeout" }));
  }, options.timeoutMs);
  try {
    const response = await options.fetch(url, {
      headers: { accept: "application/json, application/problem+json", ...options.headers },
      signal: exchange.signal,
    });
    const text = await readLimitedBody(response, options.maxBodyBytes);
    return {
      status: response.status,
      statusText: response.statusText,
      text,
      retryAfter: response.headers.get("retry-after"),
    };
  } catch (error) {
    throw classify(error, signal, exchange.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
    exchange.abort();
  }
}

function classify(error: unknown, callerSignal: AbortSignal, exchangeSignal: AbortSignal): unknown {
  if (callerSignal.aborted) return callerSignal.reason;
  const reason: unknown = exchangeSignal.reason;
  if (reason instanceof RegistryError) return reason;
  if (error instanceof RegistryError) return error;
  return new RegistryError(`Could not reach the MCP registry: ${describeError(error)}`, {
    kind: "connection",
    cause: error,
  });
}
