/**
 * The `patchbay` binary's exit codes and `serve` (issue 6 item 4), run for real from a temp
 * directory: 0 ok, 1 the server's error (`error: <message> (<status> <code>)`), 2 a usage error
 * before any request, 3 no server to talk to; `serve` is the server's own entry point.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../support/listen-on-loopback.js";
import {
  PATCHBAY_BIN,
  PROCESS_TEST_TIMEOUT_MS,
  startCliHarness,
  type CliHarness,
} from "../support/patchbay-cli.js";
import { spawnPatchbay } from "../support/patchbay-process.js";

/** Never contacted: every use fails validation first. */
const MCP_URL = "http://127.0.0.1:9/mcp";

let harness: CliHarness;

const cli = (args: string[]) => harness.run(args);
const admin = (...args: string[]) => harness.admin(...args);
const asUser = (...args: string[]) => harness.asUser(...args);

beforeAll(async () => {
  harness = await startCliHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe("serve", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("runs the server from any directory and stops cleanly on SIGTERM", async () => {
    const server = await spawnPatchbay(
      { INFERENCE_BASE_URL: harness.model.url, PATCHBAY_HOME: join(harness.cwd, "serve-home") },
      ["--host", "127.0.0.1"],
      { entry: [PATCHBAY_BIN, "serve"], cwd: harness.cwd },
    );
    try {
      const listed = await cli(["--url", server.url, "connectors", "list"]);
      expect(listed).toMatchObject({ code: 0, stderr: "" });
      expect(listed.stdout).toMatch(/^ID\s+SOURCE/);
    } finally {
      server.child.kill("SIGTERM");
    }
    expect(await server.exited).toBe(0);
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
    const run = await cli(["--url", harness.patchbay.url, "connectors", "list"]);
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
