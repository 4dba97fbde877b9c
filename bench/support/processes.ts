/**
 * Starts benchmark peers as child processes (so load generator, Patchbay and the model do not
 * share one event loop) and waits for each to say it is ready.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { spawnPatchbay } from "../../test/support/patchbay-process.js";

export interface Started {
  child: ChildProcess;
  line: string;
  stop(): Promise<void>;
}

/** Spawns `tsx <script> ...args` and resolves with the first stdout line matching `ready`. */
export async function startProcess(
  script: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<Started> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const line = await new Promise<string>((resolve, reject) => {
    lines.on("line", (text) => {
      if (ready.test(text)) resolve(text);
    });
    child.once("exit", (code) =>
      reject(new Error(`${script} exited with ${code} before it was ready`)),
    );
  });
  return {
    child,
    line,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Patchbay itself (`src/main.ts` on a free port, info logging as in production) for a benchmark. */
export async function startPatchbayProcess(
  modelUrl: string,
  home: string,
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const patchbay = await spawnPatchbay({ INFERENCE_BASE_URL: modelUrl, PATCHBAY_HOME: home });
  return {
    url: patchbay.url,
    child: patchbay.child,
    stop: async () => {
      if (patchbay.child.exitCode === null) patchbay.child.kill("SIGTERM");
      await patchbay.exited;
    },
  };
}
