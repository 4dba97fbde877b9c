/**
 * One user key must not take the server down (issue 11 §2, PRODUCT.md §9.1). Patchbay runs in its
 * own process, as deployed (API keys configured, so loopback MCP servers are opted in with
 * `allow_cidrs`); 20 responses at once name hostile MCP servers through `server_url`: endless JSON
 * bodies, endless SSE events, bodies that drip forever. Each must fail cleanly within its deadline
 * while `/health` keeps answering, every hostile connection must be closed, and the process's
 * resident memory must stay within the bound the README documents.
 */
import { readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startHostileMcpServer,
  type HostileMcpOptions,
  type HostileMcpServer,
} from "../support/hostile-mcp-server.js";
import { closedPort } from "../support/listen-on-loopback.js";
import { spawnPatchbay, type PatchbayProcess } from "../support/patchbay-process.js";
import { mcpTool, readError, timed } from "./fault-requests.js";

const USER_KEY = "sk-user-hostile";
const TIMEOUT_MS = 3_000;
/** Scheduling slack on a loaded 2-core runner, on top of the deadline. */
const SLACK_MS = 3_000;
/** README "Limits": what 20 hostile answers at once may add to the resident set. */
const RSS_GROWTH_BOUND_MB = 250;

const KINDS: Array<{ name: string; options: HostileMcpOptions; code: string }> = [
  {
    name: "endless JSON body",
    options: { answers: { initialize: "endless-json" } },
    code: "response_too_large",
  },
  {
    name: "endless SSE event",
    options: { answers: { "tools/list": "endless-sse-event" } },
    code: "response_too_large",
  },
  {
    name: "endless SSE event while connecting",
    options: { answers: { initialize: "endless-sse-event" } },
    code: "response_too_large",
  },
  {
    name: "drip that never ends",
    options: { answers: { "tools/list": "drip" }, dripMs: 5 },
    code: "timeout",
  },
];

let home: string;
let patchbay: PatchbayProcess;
const peers: HostileMcpServer[] = [];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "patchbay-hostile-"));
  for (const kind of KINDS) peers.push(await startHostileMcpServer(kind.options));
  const config = join(home, "run.yaml");
  await writeFile(
    config,
    [
      "server:",
      "  auth:",
      "    api_keys:",
      `      - key: ${USER_KEY}`,
      "        role: user",
      "  mcp:",
      `    timeout_ms: ${TIMEOUT_MS}`,
      "    egress:",
      "      allow_cidrs: [127.0.0.0/8]",
      "",
    ].join("\n"),
  );
  patchbay = await spawnPatchbay(
    {
      PATCHBAY_HOME: home,
      INFERENCE_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1`,
    },
    ["--config", config],
  );
}, 60_000);
afterAll(async () => {
  patchbay.child.kill("SIGKILL");
  await patchbay.exited;
  await Promise.all(peers.map((peer) => peer.close()));
  await rm(home, { recursive: true, force: true });
});

/** The process's resident set in MB (`VmRSS` of /proc/<pid>/status). */
async function residentMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kilobytes = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return kilobytes / 1024;
}

const respond = (serverUrl: string) =>
  fetch(`${patchbay.url}/v1/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${USER_KEY}` },
    body: JSON.stringify({
      model: "m",
      input: "x",
      tools: [mcpTool("hostile", { server_url: serverUrl })],
    }),
  });

describe("hostile MCP servers, 20 responses at once", () => {
  it("each fails cleanly within its deadline, /health keeps answering, memory stays bounded", async () => {
    // API keys are configured: private addresses are blocked by default, and the log says so.
    expect(await patchbay.waitForLog(/server_url egress/)).toContain('"block_private":true');
    const pid = patchbay.child.pid!;
    const baseline = await residentMb(pid);
    let peak = baseline;
    const healthChecks: number[] = [];
    let hostileDone = false;
    // Back to back while the hostile requests run: each check also samples the resident set.
    const health = (async () => {
      while (!hostileDone) {
        const { value, ms } = await timed(fetch(`${patchbay.url}/health`));
        expect(value.status).toBe(200);
        healthChecks.push(ms);
        peak = Math.max(peak, await residentMb(pid));
      }
    })();

    // A distinct path per request: no pooled session or shared listing; 20 hostile streams at once.
    const requests = Array.from({ length: 20 }, (_, index) => {
      const kind = KINDS[index % KINDS.length]!;
      const peer = peers[index % KINDS.length]!;
      return timed(respond(`${peer.url}/${index}`)).then(async ({ value, ms }) => ({
        kind,
        ms,
        status: value.status,
        error: (await readError(value)).error,
      }));
    });
    const answers = await Promise.all(requests);
    hostileDone = true;
    await health;
    await Promise.all(peers.map((peer) => peer.allClosed()));

    for (const { kind, ms, status, error } of answers) {
      expect(status, kind.name).toBe(424);
      expect(error, kind.name).toMatchObject({ type: "external_connector_error", code: kind.code });
      expect(error.message, kind.name).toMatch(
        kind.code === "timeout"
          ? `timed out after ${TIMEOUT_MS} ms`
          : /exceeds server\.mcp\.max_message_bytes/,
      );
      expect(ms, `${kind.name} answered after ${Math.round(ms)} ms`).toBeLessThan(
        TIMEOUT_MS + SLACK_MS,
      );
    }
    expect(healthChecks.length).toBeGreaterThan(5);
    const growth = peak - baseline;
    console.log(
      `hostile peers: RSS ${baseline.toFixed(0)} MB → peak ${peak.toFixed(0)} MB (+${growth.toFixed(0)} MB), ` +
        `/health max ${Math.max(...healthChecks).toFixed(0)} ms over ${healthChecks.length} checks`,
    );
    expect(growth).toBeLessThan(RSS_GROWTH_BOUND_MB);
  }, 30_000);
});
