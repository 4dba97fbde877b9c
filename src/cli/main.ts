/**
 * The `patchbay` command's composition root (issue 6 item 4), run by `bin/patchbay.js` through
 * tsx: the only CLI file that touches `process`. `patchbay serve` runs the server's own entry point
 * (`src/main.ts`) in this process with its flags untouched, so flag parsing, config errors (exit
 * 2), signals and graceful shutdown have one code path however Patchbay is started.
 */
import { fileURLToPath } from "node:url";
import { runCli } from "./run-cli.js";

async function serve(args: string[]): Promise<void> {
  const entry = fileURLToPath(new URL("../main.ts", import.meta.url));
  process.argv = [process.argv[0] ?? process.execPath, entry, ...args];
  await import("../main.js");
}

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  serve,
});
if (code !== null) process.exitCode = code;
