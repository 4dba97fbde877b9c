/**
 * A closed-loop load generator: `connections` workers each run `task` back to back for
 * `seconds`; returns latency percentiles and throughput. Used for both sides of a comparison.
 */
export interface LoadResult {
  p50: number;
  p99: number;
  rps: number;
  errors: number;
  /** The first few distinct error messages, to tell what failed. */
  errorSamples: string[];
}

export async function closedLoop(
  task: () => Promise<void>,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const errorSamples = new Set<string>();
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        try {
          await task();
          latencies.push(performance.now() - begin);
        } catch (error) {
          errors += 1;
          if (errorSamples.size < 5)
            errorSamples.add(
              error instanceof Error
                ? `${error.message} ${error.cause instanceof Error ? error.cause.message : ""}`.trim()
                : String(error),
            );
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    p50: at(0.5),
    p99: at(0.99),
    rps: latencies.length / elapsed,
    errors,
    errorSamples: [...errorSamples],
  };
}
