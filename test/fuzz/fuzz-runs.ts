/**
 * Case budget and seed for the property tests (issue 7 "Hostile input"). `npm test` spends the
 * default 2,000 cases across every property in `test/fuzz`; `npm run fuzz` sets `FUZZ_RUNS=10000`.
 * The seed is fixed so a CI failure replays exactly: fast-check prints it, with the path and the
 * shrunk counterexample, whenever a property fails (`FUZZ_SEED=<seed> npx vitest run test/fuzz`).
 */
import type { Parameters } from "fast-check";

const DEFAULT_TOTAL_RUNS = 2_000;
const DEFAULT_SEED = 20_260_707;

/**
 * Each property's share of the budget; the shares add up to 1, so the folder runs `FUZZ_RUNS`
 * cases in all. Weighted towards the properties whose input space is widest.
 */
export const fuzzShares = {
  arbitraryJson: 0.12,
  droppedKey: 0.04,
  wrongType: 0.12,
  unknownKey: 0.08,
  numbers: 0.06,
  deepTyped: 0.04,
  deepFreeForm: 0.04,
  hugeArrays: 0.03,
  nastyStrings: 0.1,
  mcpTools: 0.12,
  routes: 0.25,
} as const satisfies Record<string, number>;

export type FuzzProperty = keyof typeof fuzzShares;

export const fuzzSeed = readInteger("FUZZ_SEED", DEFAULT_SEED);
export const fuzzTotalRuns = readInteger("FUZZ_RUNS", DEFAULT_TOTAL_RUNS);

/** How many cases one property runs. */
export function fuzzRuns(property: FuzzProperty): number {
  return Math.max(1, Math.round(fuzzTotalRuns * fuzzShares[property]));
}

/** fast-check parameters for one property: its share of the runs, the shared seed. */
export function fuzzParameters<Value>(property: FuzzProperty): Parameters<Value> {
  return { numRuns: fuzzRuns(property), seed: fuzzSeed };
}

/**
 * A vitest timeout that grows with the budget (about 25 ms a case, with room for shrinking a
 * failure), so `npm run fuzz` does not need its own config.
 */
export function fuzzTimeout(property: FuzzProperty): number {
  return 30_000 + fuzzRuns(property) * 25;
}

function readInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got '${text}'`);
  }
  return value;
}

/** Cases a file actually ran (shrinking runs included), for the figures `npm run fuzz` prints. */
export interface CaseTally {
  cases: number;
  started: number;
}

export function startTally(): CaseTally {
  return { cases: 0, started: performance.now() };
}

/** Wraps a property's predicate so each run is counted. */
export function counted<Args extends unknown[]>(
  tally: CaseTally,
  predicate: (...args: Args) => Promise<void>,
): (...args: Args) => Promise<void> {
  return (...args) => {
    tally.cases += 1;
    return predicate(...args);
  };
}

/** One line of figures per fuzz file, e.g. `[fuzz] routes: 500 cases in 2.1 s (seed …)`. */
export function tallyLine(name: string, tally: CaseTally): string {
  const seconds = ((performance.now() - tally.started) / 1000).toFixed(1);
  return `[fuzz] ${name}: ${tally.cases} cases in ${seconds} s (FUZZ_RUNS=${fuzzTotalRuns}, FUZZ_SEED=${fuzzSeed})`;
}
