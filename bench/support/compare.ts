/**
 * The shape every Patchbay benchmark shares: a baseline and Patchbay driven by the same
 * closed-loop generator, warmed up, then measured in interleaved rounds in one run; prints
 * p50/p99, req/s and what Patchbay adds.
 */
import { parseArgs } from "node:util";
import { closedLoop, type LoadResult } from "./closed-loop.js";

export interface BenchArgs {
  seconds: number;
  rounds: number;
  connections: number;
}

/** `--seconds 5 --rounds 2 --connections 32` (the defaults). */
export function benchArgs(): BenchArgs {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "5" },
      rounds: { type: "string", default: "2" },
      connections: { type: "string", default: "32" },
    },
    allowPositionals: true,
  });
  return {
    seconds: Number(values.seconds),
    rounds: Number(values.rounds),
    connections: Number(values.connections),
  };
}

export interface Side {
  name: string;
  task: () => Promise<void>;
}

export async function compare(
  title: string,
  baseline: Side,
  patchbay: Side,
  args: BenchArgs,
  target?: string,
  /** What the difference is called (default "Patchbay adds"). */
  addedLabel = "Patchbay adds",
): Promise<void> {
  await closedLoop(baseline.task, args.connections, 1);
  await closedLoop(patchbay.task, args.connections, 1);
  const samples: { baseline: LoadResult[]; patchbay: LoadResult[] } = {
    baseline: [],
    patchbay: [],
  };
  for (let round = 0; round < args.rounds; round++) {
    samples.baseline.push(await closedLoop(baseline.task, args.connections, args.seconds));
    samples.patchbay.push(await closedLoop(patchbay.task, args.connections, args.seconds));
  }
  const mean = (list: LoadResult[], key: "p50" | "p99" | "rps" | "errors") =>
    list.reduce((sum, sample) => sum + sample[key], 0) / list.length;
  const spread = (list: LoadResult[], key: "p50" | "p99") => {
    const values = list.map((sample) => sample[key]);
    return `(${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})`;
  };
  const row = (name: string, list: LoadResult[]) =>
    `${name.padEnd(26)} p50 ${mean(list, "p50").toFixed(2).padStart(7)} ms ${spread(list, "p50").padEnd(14)} p99 ${mean(list, "p99").toFixed(2).padStart(7)} ms ${spread(list, "p99").padEnd(14)} ${mean(list, "rps").toFixed(0).padStart(6)} req/s   errors ${mean(list, "errors")}`;
  const added = (key: "p50" | "p99") => {
    const difference = mean(samples.patchbay, key) - mean(samples.baseline, key);
    return `${difference >= 0 ? "+" : ""}${difference.toFixed(2)}`;
  };
  console.log(
    `${title}, concurrency ${args.connections}, ${args.rounds} x ${args.seconds}s interleaved (means; per-round range in brackets)`,
  );
  console.log(row(baseline.name, samples.baseline));
  console.log(row(patchbay.name, samples.patchbay));
  for (const sample of [...samples.baseline, ...samples.patchbay]) {
    for (const message of sample.errorSamples) console.log(`  error: ${message}`);
  }
  console.log(
    `${addedLabel.padEnd(28)} p50 ${added("p50")} ms   p99 ${added("p99")} ms${target ? `   (target ${target})` : ""}`,
  );
}
