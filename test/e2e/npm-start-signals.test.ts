/**
 * Stopping `npm start` stops Patchbay (issue 11 §8): npm forwards SIGTERM to its script's process,
 * and the script must be the server itself (`exec node …`), not a shell that dies and leaves the
 * server running with the port taken. Runs the real `npm start` from this repository.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROCESS_TEST_TIMEOUT_MS } from "../support/patchbay-cli.js";
import { spawnPatchbay } from "../support/patchbay-process.js";

let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "patchbay-npm-start-"));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with whether a TCP connection to `port` was accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("npm start", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("stops the server when npm gets SIGTERM: no process left, the port free", async () => {
    const npm = await spawnPatchbay({ PATCHBAY_HOME: home }, [], {
      command: "npm",
      entry: ["start", "--"],
    });
    const listening = await npm.waitForLog(/listening/);
    const { pid, port } = JSON.parse(listening) as { pid: number; port: number };
    try {
      expect(pid).not.toBe(npm.child.pid);
      npm.child.kill("SIGTERM");
      await npm.exited;
      // npm exits once its script's process has; the server must be that process, so gone too.
      expect(isRunning(pid)).toBe(false);
      expect(await accepts(port)).toBe(false);
      expect(npm.logs.some((line) => line.includes("shutdown complete"))).toBe(true);
    } finally {
      if (isRunning(pid)) process.kill(pid, "SIGKILL");
    }
  });
});
