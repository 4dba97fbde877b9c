/**
 * `npm run conformance`: the MCP working group's client scenarios against Patchbay's MCP client,
 * from two releases of the suite: the stable `@modelcontextprotocol/conformance` (revisions up to
 * 2025-11-25) and the 2026-07-28 scenarios of its pre-release line (installed as
 * `mcp-conformance-next`, run with `--spec-version 2026-07-28`). Starts a scripted model and
 * Patchbay on 127.0.0.1:0 in this process, then runs every client scenario each suite lists, four
 * at a time, then the timed ones alone (sse-retry measures reconnection delay, which a loaded
 * machine would skew), with patchbay-client.ts as the client command and each suite's
 * expected-failures file as its baseline; each scenario's output is printed when it ends. Exits 1
 * when any scenario fails unexpectedly or an expected failure passes.
 * `npm run conformance -- tools_call sse-retry` runs only those, in each suite that has them. On
 * Node 20 the suites need fs.globSync, supplied by node20-register.mjs (ADR 0025).
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startScriptedModel } from "../test/support/scripted-model-server.js";
import { startPatchbay } from "../test/support/start-patchbay.js";
import { toolCallingModel } from "./tool-calling-model.js";

interface Suite {
  title: string;
  packageName: string;
  baseline: string;
  /** `--spec-version` for listing and running; the suite's default when absent. */
  specVersion?: string;
}

const SUITES: Suite[] = [
  {
    title: "@modelcontextprotocol/conformance (revisions up to 2025-11-25)",
    packageName: "@modelcontextprotocol/conformance",
    baseline: "./expected-failures.yml",
  },
  {
    title: "mcp-conformance-next, --spec-version 2026-07-28",
    packageName: "mcp-conformance-next",
    baseline: "./expected-failures-2026-07-28.yml",
    specVersion: "2026-07-28",
  },
];

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
const require = createRequire(import.meta.url);

/** Runs a suite's CLI; resolves its exit code and its output (stdout, then stderr). */
function runCli(
  suite: Suite,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  const entry = join(
    dirname(require.resolve(`${suite.packageName}/package.json`)),
    "dist/index.js",
  );
  const version = suite.specVersion === undefined ? [] : ["--spec-version", suite.specVersion];
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", here("./node20-register.mjs"), entry, ...args, ...version],
      { stdio: "pipe", env },
    );
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
async function clientScenarios(suite: Suite): Promise<string[]> {
  const { code, output } = await runCli(suite, ["list", "--client"], process.env);
  if (code !== 0) throw new Error(`conformance list exited with ${code}:\n${output}`);
  return [...output.matchAll(/^\s+- (\S+)/gm)].map((match) => match[1] ?? "");
}

/** Scenarios that judge timing run alone, after the others. */
const TIMED = new Set(["sse-retry"]);
const PARALLEL = 4;
const chosen = process.argv.slice(2);
const model = await startScriptedModel({ fallback: toolCallingModel, record: false });
const patchbay = await startPatchbay({ modelUrl: model.url });
const env = { ...process.env, PATCHBAY_URL: patchbay.url };
const failed: string[] = [];
let ran = 0;

/** Runs one scenario and prints its output; records it when not as the baseline expects. */
async function runScenario(suite: Suite, scenario: string): Promise<void> {
  const { code, output } = await runCli(
    suite,
    [
      "client",
      "--scenario",
      scenario,
      "--command",
      `${process.execPath} --import tsx ${here("./patchbay-client.ts")}`,
      "--expected-failures",
      here(suite.baseline),
      "--timeout",
      "60000",
    ],
    env,
  );
  console.log(`\n=== ${scenario} (${suite.title}) ===\n${output}`);
  ran += 1;
  if (code !== 0) failed.push(`${scenario} (${suite.specVersion ?? "stable"})`);
}

try {
  for (const suite of SUITES) {
    const listed = await clientScenarios(suite);
    const scenarios = chosen.length > 0 ? listed.filter((name) => chosen.includes(name)) : listed;
    const queue = scenarios.filter((scenario) => !TIMED.has(scenario));
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          await runScenario(suite, next);
        }
      }),
    );
    for (const scenario of scenarios.filter((name) => TIMED.has(name))) {
      await runScenario(suite, scenario);
    }
  }
} finally {
  await patchbay.close();
  await model.close();
}
console.log(
  failed.length === 0
    ? `\nMCP conformance: ${ran} client scenarios as expected (baselines conformance/expected-failures*.yml)`
    : `\nMCP conformance: not as expected: ${failed.join(", ")}`,
);
process.exitCode = failed.length === 0 && ran > 0 ? 0 : 1;
