/**
 * The `patchbay` command's composition root (issue 6 item 4), run by `bin/patchbay.js` through
 * tsx: the only CLI file that touches `process`. `patchbay serve` runs the server in this process
 * through the same `runServer` as `src/main.ts`, with its own flags, so flag parsing, config
 * errors (exit 2), signals and graceful shutdown have one code path however Patchbay is started.
 */
import { runServer } from "../run-server.js";
import { runCli } from "./run-cli.js";

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  serve: (args) => runServer(args, process.env),
});
if (code !== null) process.exitCode = code;
