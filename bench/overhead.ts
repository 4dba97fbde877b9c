/**
 * Patchbay's own overhead on a plain text response (issue 3): the same load (concurrency 32)
 * against the scripted model directly (Chat Completions) and through Patchbay
 * (`POST /v1/responses`, stored in SQLite), interleaved in one run. Prints p50/p99 and req/s.
 *
 *   npm run bench -- overhead [--seconds 5] [--rounds 2] [--connections 32]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { startProcess } from "./support/processes.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    rounds: { type: "string", default: "2" },
    connections: { type: "string", default: "32" },
  },
  allowPositionals: true,
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);

interface Sample {
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

async function load(url: string, body: unknown): Promise<Sample> {
  const result = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    connections,
    duration: seconds,
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors: result.errors + result.non2xx,
  };
}

const home = await mkdtemp(join(tmpdir(), "patchbay-bench-"));
const model = await startProcess("bench/support/model-process.ts", [], {}, /^http:/);
const modelUrl = model.line.trim();
const patchbay = await startProcess(
  "src/main.ts",
  ["--port", "0"],
  { INFERENCE_BASE_URL: modelUrl, PATCHBAY_HOME: home, PATCHBAY_LOG_LEVEL: "info" },
  /listening/,
);
const patchbayPort = /"port":(\d+)/.exec(patchbay.line)?.[1];
console.log("Patchbay logs at info level (one access line per request), as in production.");
const patchbayUrl = `http://127.0.0.1:${patchbayPort}/v1/responses`;

const direct = {
  url: `${modelUrl}/chat/completions`,
  body: { model: "bench", messages: [{ role: "user", content: "hi" }], stream: false },
};
const through = { url: patchbayUrl, body: { model: "bench", input: "hi" } };

await load(direct.url, direct.body);
await load(through.url, through.body);
const samples: { direct: Sample[]; patchbay: Sample[] } = { direct: [], patchbay: [] };
for (let round = 0; round < rounds; round++) {
  samples.direct.push(await load(direct.url, direct.body));
  samples.patchbay.push(await load(through.url, through.body));
}
await patchbay.stop();
await model.stop();
await rm(home, { recursive: true, force: true });

const mean = (list: Sample[], key: keyof Sample) =>
  list.reduce((sum, sample) => sum + sample[key], 0) / list.length;
const row = (name: string, list: Sample[]) =>
  `${name.padEnd(22)} p50 ${mean(list, "p50").toFixed(2).padStart(7)} ms   p99 ${mean(list, "p99").toFixed(2).padStart(7)} ms   ${mean(list, "rps").toFixed(0).padStart(6)} req/s   errors ${mean(list, "errors")}`;
console.log(`plain text response, concurrency ${connections}, ${rounds} x ${seconds}s interleaved`);
console.log(row("model directly", samples.direct));
console.log(row("through Patchbay", samples.patchbay));
console.log(
  `Patchbay overhead       p50 +${(mean(samples.patchbay, "p50") - mean(samples.direct, "p50")).toFixed(2)} ms   p99 +${(mean(samples.patchbay, "p99") - mean(samples.direct, "p99")).toFixed(2)} ms`,
);
