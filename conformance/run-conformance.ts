/**
 * `npm run conformance`: the MCP working group's client scenarios
 * (@modelcontextprotocol/conformance) against Patchbay's MCP client. Starts a scripted model and
 * Patchbay on 127.0.0.1:0 in this process, then runs every client scenario the suite lists, one
 * after another (sse-retry measures reconnection timing, which parallel runs on a small machine
 * would skew), with patchbay-client.ts as the client command and expected-failures.yml as the
 * baseline. Exits 1 when any scenario fails unexpectedly or an expected failure passes.
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

/** Runs the suite's CLI; resolves its exit code and, when asked, its stdout. */
function runSuite(
  args: string[],
  env: NodeJS.ProcessEnv,
  capture = false,
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...suite, ...args], {
      stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"],
      env,
    });
    let stdout = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), stdout }));
  });
}

/** The client scenario names of `conformance list --client` ("  - name [versions]" lines). */
async function clientScenarios(): Promise<string[]> {
  const { code, stdout } = await runSuite(["list", "--client"], process.env, true);
  if (code !== 0) throw new Error(`conformance list exited with ${code}`);
  return [...stdout.matchAll(/^\s+- (\S+)/gm)].map((match) => match[1] ?? "");
}

const chosen = process.argv.slice(2);
const scenarios = chosen.length > 0 ? chosen : await clientScenarios();
const model = await startScriptedModel({ fallback: toolCallingModel, record: false });
const patchbay = await startPatchbay({ modelUrl: model.url });
const env = { ...process.env, PATCHBAY_URL: patchbay.url };
const failed: string[] = [];
try {
  for (const scenario of scenarios) {
    const { code } = await runSuite(
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
    if (code !== 0) failed.push(scenario);
  }
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
