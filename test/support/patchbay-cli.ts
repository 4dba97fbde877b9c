/**
 * Runs the real `patchbay` binary (`node bin/patchbay.js …`) for CLI e2e tests (issue 6 item 4),
 * in a given working directory and without the outer environment's PATCHBAY_* settings; and the
 * harness both CLI test files share: a temp working directory and a Patchbay with an admin and a
 * user key to point the binary at.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { adminAndUserKeys } from "./config-entries.js";
import { startScriptedModel, type ScriptedModel } from "./scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "./start-patchbay.js";

/** Absolute path of the executable under test. */
export const PATCHBAY_BIN = fileURLToPath(new URL("../../bin/patchbay.js", import.meta.url));

/** Every step spawns a Node process (tsx start-up included): slow on a loaded machine, not stuck. */
export const PROCESS_TEST_TIMEOUT_MS = 60_000;

/** One finished invocation. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment a CLI child gets: ours minus PATCHBAY_URL/PATCHBAY_API_KEY/NODE_OPTIONS. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const {
    PATCHBAY_URL: _url,
    PATCHBAY_API_KEY: _key,
    NODE_OPTIONS: _nodeOptions,
    ...inherited
  } = process.env;
  return { ...inherited, ...extra };
}

/** Runs `patchbay <args>` in `cwd`; resolves with its exit code and output, whatever the code. */
export function runPatchbayCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [PATCHBAY_BIN, ...args],
      { cwd: options.cwd, env: cliEnv(options.env) },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A running Patchbay (keys `sk-admin`, `sk-user`) and ways to run the binary against it. */
export interface CliHarness {
  /** The temp working directory every run starts in. */
  cwd: string;
  model: ScriptedModel;
  patchbay: TestPatchbay;
  /** `patchbay <args>` with no URL or key but what `args` and `env` give. */
  run(args: string[], env?: Record<string, string>): Promise<CliRun>;
  /** As the admin, with `--url` and `--api-key` flags. */
  admin(...args: string[]): Promise<CliRun>;
  /** As the user, through `PATCHBAY_URL` and `PATCHBAY_API_KEY`. */
  asUser(...args: string[]): Promise<CliRun>;
  close(): Promise<void>;
}

export async function startCliHarness(): Promise<CliHarness> {
  const cwd = await mkdtemp(join(tmpdir(), "patchbay-cli-"));
  const model = await startScriptedModel();
  const patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.server.apiKeys = adminAndUserKeys("sk-admin", "sk-user");
    },
  });
  const run = (args: string[], env: Record<string, string> = {}) =>
    runPatchbayCli(args, { cwd, env });
  return {
    cwd,
    model,
    patchbay,
    run,
    admin: (...args) => run(["--url", patchbay.url, "--api-key", "sk-admin", ...args]),
    asUser: (...args) => run(args, { PATCHBAY_URL: patchbay.url, PATCHBAY_API_KEY: "sk-user" }),
    close: async () => {
      await patchbay.close();
      await model.close();
      await rm(cwd, { recursive: true, force: true });
    },
  };
}
