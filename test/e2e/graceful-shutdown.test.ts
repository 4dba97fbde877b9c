/**
 * SIGTERM (PRODUCT.md §7, issue 7): stop accepting, let in-flight responses finish within the
 * grace period, end the rest with `response.failed`, store everything, exit 0.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSse, expectWellFormedStream } from "../support/collect-events.js";
import { spawnPatchbay } from "../support/patchbay-process.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

let model: ScriptedModel;
let home: string;

beforeAll(async () => {
  model = await startScriptedModel();
  home = await mkdtemp(join(tmpdir(), "patchbay-shutdown-"));
});
afterAll(async () => {
  await model.close();
  await rm(home, { recursive: true, force: true });
});

const post = (url: string, body: Record<string, unknown>) =>
  fetch(`${url}/v1/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("graceful shutdown", () => {
  it("finishes short responses, fails stuck streams at the deadline, stores both, exits 0", async () => {
    const env = {
      INFERENCE_BASE_URL: model.url,
      PATCHBAY_HOME: home,
      PATCHBAY_SHUTDOWN_GRACE_MS: "1500",
    };
    const patchbay = await spawnPatchbay(env);
    model.enqueue([
      { stallAfterChunks: 2, text: "abcd", chunks: 4 },
      { text: "slow but fine", chunks: 3, delayMs: 200 },
    ]);
    const requestsBefore = model.requests.length;
    const stuck = await post(patchbay.url, { model: "m", input: "stuck", stream: true });
    const finishing = post(patchbay.url, { model: "m", input: "short" });
    await model.waitForRequests(requestsBefore + 2);

    patchbay.child.kill("SIGTERM");
    const events = (await readSse(stuck)).map((frame) => frame.data);
    expectWellFormedStream(events);
    const failed = events.at(-1)!;
    expect(failed.type).toBe("response.failed");
    expect(failed.response).toMatchObject({
      status: "failed",
      error: { code: "server_error", message: expect.stringContaining("shutting down") },
    });
    const short = (await (await finishing).json()) as {
      id: string;
      status: string;
      output: unknown[];
    };
    expect(short.status).toBe("completed");
    expect(await patchbay.exited).toBe(0);

    const restarted = await spawnPatchbay(env);
    try {
      const stored = (await (
        await fetch(`${restarted.url}/v1/responses/${(failed.response as { id: string }).id}`)
      ).json()) as { status: string };
      expect(stored.status).toBe("failed");
      const storedShort = (await (
        await fetch(`${restarted.url}/v1/responses/${short.id}`)
      ).json()) as { status: string };
      expect(storedShort.status).toBe("completed");
    } finally {
      restarted.child.kill("SIGTERM");
      await restarted.exited;
    }
  });

  it("refuses new responses once stopping", async () => {
    const env = {
      INFERENCE_BASE_URL: model.url,
      PATCHBAY_HOME: home,
      PATCHBAY_SHUTDOWN_GRACE_MS: "3000",
    };
    const patchbay = await spawnPatchbay(env);
    model.enqueue({ stallAfterChunks: 1, text: "ab", chunks: 2 });
    const requestsBefore = model.requests.length;
    const agent = await post(patchbay.url, { model: "m", input: "hold", stream: true });
    await model.waitForRequests(requestsBefore + 1);
    patchbay.child.kill("SIGTERM");
    await patchbay.waitForLog(/shutting down/);
    const late = await post(patchbay.url, { model: "m", input: "late" }).then(
      (response) => response.status,
      () => "refused",
    );
    expect([503, "refused"]).toContain(late);
    await readSse(agent);
    expect(await patchbay.exited).toBe(0);
  });
});
