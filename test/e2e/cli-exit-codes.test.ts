/**
 * The `patchbay` binary's exit codes and `serve` (issue 6 item 4), run for real from a temp
 * directory: 0 ok, 1 the server's error (`error: <message> (<status> <code>)`), 2 a usage error
 * before any request, 3 no server to talk to; `serve` is the server's own entry point.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort, cliEnv, PATCHBAY_BIN, runPatchbayCli } from "../support/patchbay-cli.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";

/** Never contacted: every use fails validation first. */
const MCP_URL = "http://127.0.0.1:9/mcp";

/** Every step spawns a Node process (tsx start-up included): slow on a loaded machine, not stuck. */
const PROCESS_TEST_TIMEOUT_MS = 60_000;

let model: ScriptedModel;
let patchbay: TestPatchbay;
let cwd: string;

const cli = (args: string[], env: Record<string, string> = {}) =>
  runPatchbayCli(args, { cwd, env });
const admin = (...args: string[]) => cli(["--url", patchbay.url, "--api-key", "sk-admin", ...args]);
const asUser = (...args: string[]) =>
  cli(args, { PATCHBAY_URL: patchbay.url, PATCHBAY_API_KEY: "sk-user" });

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), "patchbay-cli-"));
  model = await startScriptedModel();
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.server.apiKeys = [
        { key: "sk-admin", role: "admin", name: null },
        { key: "sk-user", role: "user", name: null },
      ];
    },
  });
});
afterAll(async () => {
  await patchbay?.close();
  await model?.close();
  await rm(cwd, { recursive: true, force: true });
});

describe("serve", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("runs the server from any directory and stops cleanly on SIGTERM", async () => {
    const home = join(cwd, "serve-home");
    const child = spawn(
      process.execPath,
      [PATCHBAY_BIN, "serve", "--host", "127.0.0.1", "--port", "0"],
      {
        cwd,
        env: cliEnv({ INFERENCE_BASE_URL: model.url, PATCHBAY_HOME: home }),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const port = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on("line", (line) => {
        const match = /"port":(\d+).*listening/.exec(line);
        if (match?.[1]) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`serve exited with ${code} before listening`)));
    });
    try {
      const listed = await cli(["--url", `http://127.0.0.1:${port}`, "connectors", "list"]);
      expect(listed).toMatchObject({ code: 0, stderr: "" });
      expect(listed.stdout).toMatch(/^ID\s+SOURCE/);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });

  it("exits 2 on a bad serve flag, as the server itself does", async () => {
    const run = await cli(["serve", "--port", "not-a-port"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--port");
  });
});

describe("exit codes", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("exits 1 with the server's 403 for a user key on an admin command", async () => {
    const run = await asUser("registries", "list");
    expect(run).toMatchObject({
      code: 1,
      stdout: "",
      stderr: "error: This route needs an admin API key. (403 insufficient_permissions)\n",
    });
  });

  it("exits 1 with the server's 401 without a key", async () => {
    const run = await cli(["--url", patchbay.url, "connectors", "list"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: .+ \(401 invalid_api_key\)\n$/);
  });

  it("exits 1 with the server's validation error", async () => {
    const run = await admin(
      "connectors",
      "create",
      "--connector-id",
      "mcp::a::b",
      "--url",
      MCP_URL,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: .+ \(400 \w+\)\n$/);
  });

  it("exits 2 on usage errors, before any request", async () => {
    const nowhere = `http://127.0.0.1:${await closedPort()}`;
    const cases: string[][] = [
      ["connectors", "list", "--bogus"],
      ["connectors", "get"],
      ["connectors", "create", "--connector-id", "x"],
      ["connectors", "create", "--file", "spec.json", "--url", MCP_URL],
      ["connectors", "update", "x"],
      ["connectors", "create", "--connector-id", "x", "--url", MCP_URL, "--header", "novalue"],
      ["connectors", "create", "--connector-id", "x", "--url", MCP_URL, "--timeout-ms", "soon"],
      ["registries", "frobnicate"],
      ["nonsense"],
      [],
    ];
    const runs = await Promise.all(
      cases.map((args) => cli(["--url", nowhere, "--api-key", "sk-admin", ...args])),
    );
    for (const [index, run] of runs.entries()) {
      const args = cases[index] ?? [];
      expect(run, args.join(" ")).toMatchObject({ code: 2, stdout: "" });
      expect(run.stderr, args.join(" ")).toMatch(
        /^error: .+\nRun 'patchbay .*--help' for usage\.\n$/,
      );
    }
    expect((await cli(["--url", "not a url", "connectors", "list"])).code).toBe(2);
  });

  it("exits 0 with help on --help", async () => {
    const [top, command] = await Promise.all([
      cli(["--help"]),
      cli(["connectors", "create", "--help"]),
    ]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain("registries sync <id>");
    expect(command.code).toBe(0);
    expect(command.stdout).toContain("--connector-id ID");
  });

  it("exits 3 when the server cannot be reached", async () => {
    const port = await closedPort();
    const run = await cli(["--url", `http://127.0.0.1:${port}`, "connectors", "list"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      new RegExp(`^error: cannot reach Patchbay at http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
  });
});
