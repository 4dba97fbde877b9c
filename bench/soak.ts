/**
 * Soak (issue 7): N concurrent streaming responses, each listing and calling an MCP tool, for a
 * fixed duration against the scripted model and an SDK-built MCP server, all on loopback. Prints
 * errors, latency p50/p99 and Patchbay's RSS at start and end (target: 0 errors, RSS growth < 10 %).
 *
 *   npm run soak -- [--seconds 60] [--connections 500] [--warmup 30]      (documented long run: --seconds 300)
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { closedLoop } from "./support/closed-loop.js";
import { startPatchbayProcess, startProcess } from "./support/processes.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    connections: { type: "string", default: "500" },
    warmup: { type: "string", default: "30" },
  },
  allowPositionals: true,
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);

const home = await mkdtemp(join(tmpdir(), "patchbay-soak-"));
const model = await startProcess("bench/support/model-process.ts", ["--mcp"], {}, /^http:/);
const mcp = await startProcess("bench/support/mcp-process.ts", [], {}, /^http:/);
const patchbay = await startPatchbayProcess(model.line.trim(), home);
const body = JSON.stringify({
  model: "soak",
  input: "add 2 and 3",
  stream: true,
  tools: [
    { type: "mcp", server_label: "soak", server_url: mcp.line.trim(), require_approval: "never" },
  ],
});

/** Patchbay's resident set size, read from /proc (the process is ours, on this machine). */
async function rssMb(): Promise<number> {
  const status = await readFile(`/proc/${patchbay.child.pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

const errorSamples = new Map<string, number>();

async function oneStream(): Promise<void> {
  try {
    await streamOnce();
  } catch (error) {
    const key = error instanceof Error ? error.message.slice(0, 160) : String(error);
    errorSamples.set(key, (errorSamples.get(key) ?? 0) + 1);
    throw error;
  }
}

async function streamOnce(): Promise<void> {
  const response = await fetch(`${patchbay.url}/v1/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const text = await response.text();
  if (
    response.status !== 200 ||
    !text.includes("event: response.completed") ||
    !text.includes("response.mcp_call.completed")
  ) {
    const failure =
      /"error":(\{"type":"[a-z_]+"[^}]*\})/.exec(text)?.[1] ??
      /"type":"response.failed".*?"message":"([^"]*)"/.exec(text)?.[1] ??
      text.slice(-200);
    throw new Error(`bad stream: HTTP ${response.status}: ${failure}`);
  }
}

// Warm up at full concurrency, so sessions, pools and buffers exist before the baseline RSS.
await closedLoop(oneStream, connections, Number(values.warmup));
const rssStart = await rssMb();
const samples: number[] = [];
const sampler = setInterval(() => void rssMb().then((mb) => samples.push(mb)), 10_000);
const result = await closedLoop(oneStream, connections, seconds);
clearInterval(sampler);
const rssEnd = await rssMb();
await patchbay.stop();
await mcp.stop();
await model.stop();
await rm(home, { recursive: true, force: true });

const growth = ((rssEnd - rssStart) / rssStart) * 100;
console.log(`soak: ${connections} concurrent streaming MCP-tool responses for ${seconds}s`);
console.log(
  `completed ${Math.round(result.rps * seconds)} responses, ${result.rps.toFixed(0)} req/s, errors ${result.errors}`,
);
console.log(`latency p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`);
console.log(
  `Patchbay RSS start ${rssStart.toFixed(1)} MB, end ${rssEnd.toFixed(1)} MB, growth ${growth.toFixed(1)} % (target < 10 %)`,
);
console.log(`RSS every 10 s: ${samples.map((mb) => mb.toFixed(0)).join(", ")} MB`);
for (const [message, count] of errorSamples) console.log(`  ${count} × ${message}`);
process.exitCode = result.errors === 0 ? 0 : 1;
