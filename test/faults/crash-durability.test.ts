/**
 * Durability (issue 7 item 4): SIGKILL while admin writes and responses are in flight, restart, and
 * every acknowledged write and every completed response is there. SQLite runs in WAL mode with
 * `synchronous=NORMAL`, which is durable across a process crash.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSse } from "../support/collect-events.js";
import { spawnPatchbay } from "../support/patchbay-process.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

let model: ScriptedModel;
let home: string;

beforeAll(async () => {
  model = await startScriptedModel({ fallback: { text: "durable", chunks: 2 } });
  home = await mkdtemp(join(tmpdir(), "patchbay-crash-"));
});
afterAll(async () => {
  await model.close();
  await rm(home, { recursive: true, force: true });
});

describe("crash durability", () => {
  it("keeps every acknowledged write and completed response across SIGKILL", async () => {
    const env = { INFERENCE_BASE_URL: model.url, PATCHBAY_HOME: home };
    const patchbay = await spawnPatchbay(env);
    const acknowledgedConnectors: string[] = [];
    const completedResponses: string[] = [];
    const post = (path: string, body: unknown) =>
      fetch(`${patchbay.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    let stop = false;
    let reached = (): void => undefined;
    const enough = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const progress = (): void => {
      if (acknowledgedConnectors.length >= 100 && completedResponses.length >= 50) reached();
    };
    const writer = async (worker: number) => {
      for (let index = 0; !stop; index++) {
        const id = `crash_${worker}_${index}`;
        try {
          const response = await post("/v1/admin/connectors", {
            connector_id: id,
            url: "http://127.0.0.1:9/mcp",
          });
          if (response.status === 201) acknowledgedConnectors.push(id);
          progress();
        } catch {
          return;
        }
      }
    };
    const responder = async () => {
      while (!stop) {
        try {
          const response = await post("/v1/responses", { model: "m", input: "x" });
          const body = (await response.json()) as { id?: string; status?: string };
          if (body.status === "completed" && body.id) completedResponses.push(body.id);
          progress();
        } catch {
          return;
        }
      }
    };
    const workers = [
      ...Array.from({ length: 4 }, (_, worker) => writer(worker)),
      ...Array.from({ length: 4 }, () => responder()),
    ];
    await enough;
    patchbay.child.kill("SIGKILL");
    stop = true;
    await Promise.all(workers);
    expect(await patchbay.exited).toBe("SIGKILL");

    const restarted = await spawnPatchbay(env);
    try {
      const listed = (await (await fetch(`${restarted.url}/v1/admin/connectors`)).json()) as {
        data: Array<{ id: string }>;
      };
      const present = new Set(listed.data.map((item) => item.id));
      expect(acknowledgedConnectors.filter((id) => !present.has(id))).toEqual([]);
      for (const id of completedResponses) {
        const stored = (await (await fetch(`${restarted.url}/v1/responses/${id}`)).json()) as {
          status?: string;
        };
        expect(stored.status, id).toBe("completed");
      }
    } finally {
      restarted.child.kill("SIGTERM");
      await restarted.exited;
    }
  });

  it("fails, after the restart, a background response that was running at SIGKILL", async () => {
    const configPath = join(home, "short-lease.yaml");
    await writeFile(configPath, "server:\n  background:\n    lease_ms: 1000\n");
    const env = {
      INFERENCE_BASE_URL: model.url,
      PATCHBAY_HOME: home,
      PATCHBAY_CONFIG: configPath,
    };
    const patchbay = await spawnPatchbay(env);
    const requestsBefore = model.requests.length;
    model.enqueue({ hang: true });
    const created = await fetch(`${patchbay.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: "x", background: true }),
    });
    const { id } = (await created.json()) as { id: string };
    await model.waitForRequests(requestsBefore + 1);
    patchbay.child.kill("SIGKILL");
    expect(await patchbay.exited).toBe("SIGKILL");

    const restarted = await spawnPatchbay(env);
    try {
      // The stream ends once the restarted process's sweep has failed the response.
      const events = await readSse(await fetch(`${restarted.url}/v1/responses/${id}?stream=true`));
      // `response.in_progress` may not have been stored before the kill.
      expect(events[0]?.event).toBe("response.created");
      expect(events.at(-1)?.event).toBe("response.failed");
      events.forEach((event, index) => expect(event.data.sequence_number).toBe(index));
      const stored = (await (await fetch(`${restarted.url}/v1/responses/${id}`)).json()) as {
        status?: string;
      };
      expect(stored.status).toBe("failed");
    } finally {
      restarted.child.kill("SIGTERM");
      await restarted.exited;
    }
  });
});
