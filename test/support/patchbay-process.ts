/**
 * Runs Patchbay as a real child process (`src/main.ts`, or the `patchbay serve` binary), for what
 * only a process shows: signals, exit codes, crash durability. Resolves once it logs that it
 * listens; its log lines are kept.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { createInterface } from "node:readline";

export interface PatchbayProcess {
  url: string;
  child: ChildProcess;
  logs: string[];
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** Resolves once a log line matches (lines already seen count). */
  waitForLog(pattern: RegExp): Promise<string>;
}

export interface SpawnPatchbayOptions {
  /** The program to run (default this Node); e.g. `npm` with entry `["start", "--"]`. */
  command?: string;
  /** Its arguments that start the server (default `--import tsx src/main.ts`). */
  entry?: readonly string[];
  /** Working directory (default ours, which the default entry's relative path needs). */
  cwd?: string;
}

/** Starts the server on a free port with `env` over ours; `args` follow `--port 0`. */
export async function spawnPatchbay(
  env: Record<string, string>,
  args: string[] = [],
  options: SpawnPatchbayOptions = {},
): Promise<PatchbayProcess> {
  const entry = options.entry ?? ["--import", "tsx", "src/main.ts"];
  const child = spawn(options.command ?? process.execPath, [...entry, "--port", "0", ...args], {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { ...process.env, PATCHBAY_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const lineSeen = new EventEmitter();
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  const record = (line: string): void => {
    logs.push(line);
    lineSeen.emit("line", line);
  };
  createInterface({ input: child.stderr }).on("line", record);
  const port = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      record(line);
      const match = /"port":(\d+).*listening|listening on http:\/\/[^ ]+:(\d+)/.exec(line);
      const port = match?.[1] ?? match?.[2];
      if (port) resolve(port);
    });
    void exited.then((code) =>
      reject(new Error(`patchbay exited (${code}) before listening:\n${logs.join("\n")}`)),
    );
  });
  const waitForLog = (pattern: RegExp) =>
    new Promise<string>((resolve) => {
      const seen = logs.find((line) => pattern.test(line));
      if (seen !== undefined) return resolve(seen);
      const check = (line: string): void => {
        if (!pattern.test(line)) return;
        lineSeen.off("line", check);
        resolve(line);
      };
      lineSeen.on("line", check);
    });
  return { url: `http://127.0.0.1:${port}`, child, logs, exited, waitForLog };
}
