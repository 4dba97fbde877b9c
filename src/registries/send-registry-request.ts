import { RegistryError } from "../errors/registry-error.js";
import { readLimitedBody } from "../lib/read-limited-body.js";
import { Deadline } from "../lib/deadline.js";
import { describeError } from "../lib/describe-error.js";

const FINISHED = new Error("registry request finished");

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
  const exchange = new Deadline(signal);
  const expired = (): RegistryError =>
    new RegistryError(`MCP registry did not answer within ${options.timeoutMs} ms.`, {
      kind: "timeout",
    });
  try {
    return await exchange.within(options.timeoutMs, expired, async () => {
      const response = await options.fetch(url, {
        headers: { accept: "application/json, application/problem+json", ...options.headers },
        signal: exchange.signal,
      });
      const text = await readLimitedBody(response, options.maxBodyBytes, () =>
        tooLarge(options.maxBodyBytes),
      );
      return {
        status: response.status,
        statusText: response.statusText,
        text,
        retryAfter: response.headers.get("retry-after"),
      };
    });
  } catch (reason) {
    if (signal.aborted || reason instanceof RegistryError) throw reason;
    throw new RegistryError(`Could not reach the MCP registry: ${describeError(reason)}`, {
      kind: "connection",
      cause: reason,
    });
  } finally {
    exchange.release();
    // Frees the socket of a body left unread (refused as too large).
    exchange.abort(FINISHED);
  }
}

function tooLarge(maxBytes: number): RegistryError {
  return new RegistryError(`MCP registry response is larger than ${maxBytes} bytes.`, {
    kind: "too_large",
  });
}
