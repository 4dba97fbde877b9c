/**
 * Runs the real `patchbay` binary (`node bin/patchbay.js …`) for CLI e2e tests (issue 6 item 4),
 * in a given working directory and without the outer environment's PATCHBAY_* settings.
 */
import { execFile } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

/** Absolute path of the executable under test. */
export const PATCHBAY_BIN = fileURLToPath(new URL("../../bin/patchbay.js", import.meta.url));

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

/** A loopback port that was just free (listen on 0, note it, close): connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
