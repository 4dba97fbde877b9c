/**
 * The server process as an operator starts it (issue 11 §3 and §8, issue 12): a typo in the config
 * or the environment stops the start with exit code 2 and one line per problem; a port in use is
 * one line naming `--port`; the startup log names the model servers; an OGX config file with
 * top-level connectors serves them; log fields are snake_case; PATCHBAY_LOG_FORMAT=pretty gives
 * lines a person can read. Every case runs the real `src/main.ts` as a child process.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenOnLoopback } from "../support/listen-on-loopback.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import { PROCESS_TEST_TIMEOUT_MS } from "../support/patchbay-cli.js";
import { spawnPatchbay } from "../support/patchbay-process.js";
import { fixtureEntry } from "../support/registry-fixture-entries.js";
import { startRegistryFixture, type RegistryFixture } from "../support/registry-fixture-server.js";

let home: string;
let mcp: McpFixture;
let registry: RegistryFixture;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "patchbay-startup-"));
  mcp = await startMcpFixture({ transport: "streamable-http" });
  registry = await startRegistryFixture({
    servers: [fixtureEntry("io.test/x", { remotes: [{ type: "streamable-http", url: mcp.url }] })],
  });
});
afterAll(async () => {
  await Promise.all([mcp.close(), registry.close()]);
  await rm(home, { recursive: true, force: true });
});

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `src/main.ts <args>` to its end (for the cases where it must not start). */
function runToExit(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
      env: { ...process.env, PATCHBAY_HOME: home, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function writeConfig(name: string, yaml: string): Promise<string> {
  const path = join(home, name);
  await writeFile(path, yaml);
  return path;
}

/** A stack trace line (`    at fn (file:1:2)`), raw or inside a JSON `stack` field. */
const STACK_FRAME = /(^|\\n)\s+at /m;

describe("a start that must not happen", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("exits 2 on a misspelled top-level key, saying which key was meant", async () => {
    const config = await writeConfig(
      "sever.yaml",
      "sever:\n  auth:\n    api_keys:\n    - {key: sk-1, role: admin}\n",
    );
    const run = await runToExit(["--config", config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "Invalid configuration:\n  - sever: unknown top-level key; did you mean 'server'?\n",
    );
  });

  it("exits 2 naming an unset variable used as an API key once", async () => {
    const config = await writeConfig(
      "unset-keys.yaml",
      "server:\n  auth:\n    api_keys:\n    - {key: '${env.PB_ADMIN_KEY}', role: admin}\n    - {key: '${env.PB_USER_KEY}', role: user}\n",
    );
    const run = await runToExit(["--config", config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "Invalid configuration:\n" +
        "  - server.auth.api_keys[0].key: environment variable 'PB_ADMIN_KEY' is not set\n" +
        "  - server.auth.api_keys[1].key: environment variable 'PB_USER_KEY' is not set\n",
    );
  });

  it.each([
    ["PATCHBAY_SHUTDOWN_GRACE_MS", "10s", "expected an integer"],
    ["PATCHBAY_SHUTDOWN_GRACE_MS", "-1", "expected an integer >= 0"],
    ["PATCHBAY_LOG_LEVEL", "verbose", "expected one of fatal, error, warn, info, debug"],
    ["PATCHBAY_LOG_FORMAT", "yaml", "expected json or pretty"],
  ])("exits 2 on %s=%s", async (name, value, expected) => {
    const run = await runToExit([], { [name]: value });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^Invalid configuration:\\n  - ${name}: ${expected}.*, got '${value}'\\n$`),
    );
  });

  it("exits 1 with one line naming --port when the port is taken", async () => {
    const taken = createServer();
    const port = await listenOnLoopback(taken);
    try {
      const run = await runToExit(["--port", String(port)]);
      expect(run.code).toBe(1);
      const lines = `${run.stdout}${run.stderr}`
        .split("\n")
        .filter((line) => line.includes("listen"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(lines[0]).toContain("--port");
      expect(`${run.stdout}${run.stderr}`).not.toMatch(STACK_FRAME);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});

describe("a running server", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("serves OGX's top-level connectors and logs its model servers and fields in snake_case", async () => {
    const config = await writeConfig(
      "ogx.yaml",
      `version: 2
distro_name: mine
apis: [inference, responses]
providers:
  inference:
  - provider_id: vllm
    provider_type: remote::vllm
    config:
      base_url: http://127.0.0.1:8000/v1
  agents:
  - provider_id: meta-reference
    provider_type: inline::meta-reference
    config:
      mcp_registries:
      - {id: fixture, url: "${registry.url}"}
connectors:
- connector_type: mcp
  connector_id: docs
  url: ${mcp.url}
  server_label: Docs
`,
    );
    const patchbay = await spawnPatchbay({ PATCHBAY_HOME: join(home, "ogx") }, [
      "--config",
      config,
    ]);
    try {
      const tools = await fetch(`${patchbay.url}/v1/connectors/docs/tools`);
      expect(tools.status).toBe(200);
      const body = (await tools.json()) as { data: Array<{ name: string }> };
      expect(body.data.map((tool) => tool.name)).toContain("echo");
      await patchbay.waitForLog(/registry sync finished/);

      const servers = await patchbay.waitForLog(/model servers/);
      expect(JSON.parse(servers)).toMatchObject({
        msg: "model servers: vllm at http://127.0.0.1:8000/v1",
        model_servers: [
          { provider_id: "vllm", provider_type: "remote::vllm", url: "http://127.0.0.1:8000/v1" },
        ],
      });
      const records = patchbay.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
      const keys = new Set(records.flatMap((record) => Object.keys(record)));
      expect(keys).toContain("registry_id");
      expect(keys).toContain("duration_ms");
      expect([...keys].filter((key) => !/^[a-z0-9_]+$/.test(key))).toEqual([]);
      expect(patchbay.logs.join("\n")).not.toContain("PRODUCT.md");
    } finally {
      patchbay.child.kill("SIGTERM");
    }
    expect(await patchbay.exited).toBe(0);
  });

  it("names the default model server and how to change it, and why it binds loopback", async () => {
    const patchbay = await spawnPatchbay({ PATCHBAY_HOME: join(home, "default") }, [
      "--host",
      "0.0.0.0",
    ]);
    try {
      const line = await patchbay.waitForLog(/model servers/);
      expect(JSON.parse(line)).toMatchObject({
        msg: "model servers: default at http://127.0.0.1:11434/v1 (the default; set INFERENCE_BASE_URL or configure providers.inference to change it)",
      });
      const loopback = await patchbay.waitForLog(/binding to 127\.0\.0\.1 only/);
      expect(JSON.parse(loopback)).toMatchObject({
        level: 40,
        requested_host: "0.0.0.0",
        msg: "no API keys configured: binding to 127.0.0.1 only; configure server.auth.api_keys to serve other hosts",
      });
      expect(patchbay.logs.join("\n")).not.toContain("PRODUCT.md");
    } finally {
      patchbay.child.kill("SIGTERM");
    }
    expect(await patchbay.exited).toBe(0);
  });

  it("writes readable lines with PATCHBAY_LOG_FORMAT=pretty", async () => {
    const patchbay = await spawnPatchbay({
      PATCHBAY_HOME: join(home, "pretty"),
      PATCHBAY_LOG_FORMAT: "pretty",
      INFERENCE_BASE_URL: "http://user:secret@127.0.0.1:8000/v1",
    });
    try {
      const listening = await patchbay.waitForLog(/listening/);
      expect(listening).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Patchbay listening on http:/);
      const servers = await patchbay.waitForLog(/model servers/);
      expect(servers).toContain("INFO: model servers: default at http://127.0.0.1:8000/v1");
      expect(patchbay.logs.join("\n")).not.toContain("secret");
      expect(patchbay.logs.some((line) => line.startsWith("{"))).toBe(false);
    } finally {
      patchbay.child.kill("SIGTERM");
    }
    expect(await patchbay.exited).toBe(0);
  });
});
