/**
 * `npm run conformance`: the MCP working group's client scenarios
 * (@modelcontextprotocol/conformance) against Patchbay's MCP client. Starts a scripted model and
 * Patchbay on 127.0.0.1:0 in this process, then runs every client scenario the suite lists, four
 * at a time, then the timed ones alone (sse-retry measures reconnection delay, which a loaded
 * machine would skew), with patchbay-client.ts as the client command and expected-failures.yml as
 * the baseline; each scenario's output is printed when it ends. Exits 1 when any scenario fails unexpectedly or an expected failure passes.
 * `npm run conformance -- tools_call sse-retry` runs only those. On Node 20 the suite needs
 * fs.globSync, supplied by node20-register.mjs (ADR 0025).
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startScriptedModel } from "../test/support/scripted-model-server.js";
import { startPatchbay } from "../test/support/start-patchbay.js";
import { toolCallingModel } from "./tool-calling-model.js";

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
const suitePackage = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/conformance/package.json",
);
const suite = [
  "--import",
  here("./node20-register.mjs"),
  join(dirname(suitePackage), "dist", "index.js"),
];

/** Runs the suite's CLI; resolves its exit code and its output (stdout, then stderr). */
function runSuite(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...suite, ...args], { stdio: "pipe", env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({ code: code ?? (signal ? 1 : 0), output: stdout + stderr }),
    );
  });
}

/** The client scenario names of `conformance list --client` ("  - name [versions]" lines). */
async function clientScenarios(): Promise<string[]> {
  const { code, output } = await runSuite(["list", "--client"], process.env);
  if (code !== 0) throw new Error(`conformance list exited with ${code}:\n${output}`);
  return [...output.matchAll(/^\s+- (\S+)/gm)].map((match) => match[1] ?? "");
}

const chosen = process.argv.slice(2);
const scenarios = chosen.length > 0 ? chosen : await clientScenarios();
const model = await startScriptedModel({ fallback: toolCallingModel, record: false });
const patchbay = await startPatchbay({ modelUrl: model.url });
const env = { ...process.env, PATCHBAY_URL: patchbay.url };
const failed: string[] = [];
/** Runs one scenario and prints its output; records it when not as the baseline expects. */
async function runScenario(scenario: string): Promise<void> {
  const { code, output } = await runSuite(
    [
      "client",
      "--scenario",
      scenario,
      "--command",
      `${process.execPath} --import tsx ${here("./patchbay-client.ts")}`,
      "--expected-failures",
      here("./expected-failures.yml"),
      "--timeout",
      "60000",
    ],
    env,
  );
  console.log(`\n=== ${scenario} ===\n${output}`);
  if (code !== 0) failed.push(scenario);
}
/** Scenarios that judge timing run alone, after the others. */
const TIMED = new Set(["sse-retry"]);
const PARALLEL = 4;
try {
  const queue = scenarios.filter((scenario) => !TIMED.has(scenario));
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        await runScenario(next);
      }
    }),
  );
  for (const scenario of scenarios.filter((name) => TIMED.has(name))) await runScenario(scenario);
} finally {
  await patchbay.close();
  await model.close();
}
console.log(
  failed.length === 0
    ? `\nMCP conformance: ${scenarios.length} client scenarios as expected (baseline conformance/expected-failures.yml)`
    : `\nMCP conformance: not as expected: ${failed.join(", ")}`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
