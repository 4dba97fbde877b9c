import { setTimeout as delay } from "node:timers/promises";
import { RegistryError } from "../errors/registry-error.js";
import type { RegistryResponse } from "./send-registry-request.js";

/** Waits `ms`, rejecting when `signal` aborts. Injected so tests observe delays without waiting. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  /** Retries after the first attempt; 3 means up to 4 requests. */
  maxRetries: number;
  sleep: Sleep;
  /** In [0, 1): the jitter source. */
  random: () => number;
}

const BASE_DELAY_MS = 500;
const MAX_BACKOFF_MS = 10_000;
/** A registry asking for a longer pause is answered by giving up sooner rather than hanging a sync. */
const MAX_RETRY_AFTER_MS = 30_000;

export const defaultSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/**
 * Runs `send` until it yields a non-retryable outcome or `maxRetries` retries are spent (PRODUCT.md
 * §5 "back off on 429/5xx"; reference §1 "Rate limit": the official registry answers 429 above
 * ~180 req/min). Retried: 429, 5xx, timeouts and connection failures. The pause honours
 * `Retry-After` (seconds or an HTTP date, capped at 30 s) and is otherwise exponential backoff with
 * full jitter. The last response is returned (its status is the caller's to judge) or the last
 * error thrown; the caller's abort, at any point including the pause, is rethrown as its reason.
 */
export async function fetchWithRetry(
  send: () => Promise<RegistryResponse>,
  policy: RetryPolicy,
  signal: AbortSignal,
): Promise<RegistryResponse> {
  for (let attempt = 0; ; attempt += 1) {
    const outcome = await settle(send);
    const retryable =
      outcome instanceof RegistryError
        ? outcome.kind === "timeout" || outcome.kind === "connection"
        : outcome.status === 429 || outcome.status >= 500;
    if (!retryable || attempt >= policy.maxRetries) {
      if (outcome instanceof RegistryError) throw outcome;
      return outcome;
    }
    const backoff = Math.floor(
      policy.random() * Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** attempt),
    );
    const requested =
      outcome instanceof RegistryError ? null : parseRetryAfter(outcome.retryAfter, Date.now());
    await pause(policy.sleep, requested ?? backoff, signal);
  }
}

/** `Retry-After` in ms (delta-seconds or an HTTP date), clamped to [0, 30 s]; null when absent or unreadable. */
function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  const milliseconds = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (Number.isNaN(milliseconds)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, milliseconds));
}

/** A `RegistryError` is an outcome to judge; anything else (the caller's abort) propagates. */
async function settle(
  send: () => Promise<RegistryResponse>,
): Promise<RegistryResponse | RegistryError> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
}

async function pause(sleep: Sleep, ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  try {
    await sleep(ms, signal);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw error;
  }
  signal.throwIfAborted();
}
