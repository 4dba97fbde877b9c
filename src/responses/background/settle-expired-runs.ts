/**
 * The lease sweep (issue 13 §4): a background response whose replica died (kill -9, lost host)
 * must not stay `in_progress` forever. Every replica sweeps; the store hands each expired run to
 * one of them, which marks the response `failed` and stores a `response.failed` event so its
 * followers end too.
 */
import type { Logger } from "pino";
import type { BackgroundRunStore } from "../../store/background-run-store.js";
import type { ResponseStore } from "../../store/response-store.js";
import type { ResponseObject } from "../response-types.js";
import type { RunWakeups } from "./run-wakeups.js";

/** Expired runs settled per sweep; the next sweep takes the rest. */
const SWEEP_BATCH = 20;

export const LEASE_EXPIRED_MESSAGE =
  "The Patchbay replica running this background response stopped before it finished (its lease expired).";

export interface SweepDeps {
  store: ResponseStore;
  runs: BackgroundRunStore;
  wakeups: RunWakeups;
  logger: Logger;
  /** This replica's runner id and lease: a sweeper that dies mid-way is swept in turn. */
  runner: string;
  leaseMs: number;
}

/**
 * Settles the runs whose lease expired; returns how many responses it failed. The run stays in
 * progress until the failure and its event are stored, so no follower ends before it.
 */
export async function settleExpiredRuns(deps: SweepDeps): Promise<number> {
  let failed = 0;
  const claimed = await deps.runs.claimExpiredRuns(deps.runner, deps.leaseMs, SWEEP_BATCH);
  for (const responseId of claimed) {
    if (await failAbandoned(responseId, deps)) failed++;
    await deps.runs.finishRun(responseId, deps.runner);
    deps.wakeups.wake(responseId);
  }
  return failed;
}

async function failAbandoned(responseId: string, deps: SweepDeps): Promise<boolean> {
  const stored = await deps.store.get(responseId);
  if (!stored) return false;
  if (stored.response.status !== "queued" && stored.response.status !== "in_progress") {
    return false;
  }
  const response: ResponseObject = {
    ...stored.response,
    status: "failed",
    error: { code: "server_error", message: LEASE_EXPIRED_MESSAGE },
  };
  if (!(await deps.store.update({ ...stored, response }))) return false;
  const sequenceNumber = (await deps.runs.lastSequenceNumber(responseId)) + 1;
  await deps.runs.appendEvents(responseId, [
    { type: "response.failed", response, sequence_number: sequenceNumber },
  ]);
  deps.logger.warn({ response_id: responseId }, LEASE_EXPIRED_MESSAGE);
  return true;
}
