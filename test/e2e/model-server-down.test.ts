/**
 * The first request of a newcomer with no model server running (issue 11 §8): the 502 says which
 * URL refused and how to point Patchbay at a model server, and the server log has one line for it
 * (no stack trace: it is an expected condition), whether the request streams or not. A genuine
 * server fault keeps its stack trace (`test/faults`).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../support/listen-on-loopback.js";
import { PROCESS_TEST_TIMEOUT_MS } from "../support/patchbay-cli.js";
import { spawnPatchbay, type PatchbayProcess } from "../support/patchbay-process.js";

let home: string;
let patchbay: PatchbayProcess;
let modelUrl: string;
let client: OpenAI;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "patchbay-no-model-"));
  modelUrl = `http://127.0.0.1:${await closedPort()}/v1`;
  patchbay = await spawnPatchbay({ PATCHBAY_HOME: home, INFERENCE_BASE_URL: modelUrl });
  client = new OpenAI({ baseURL: `${patchbay.url}/v1`, apiKey: "unused", maxRetries: 0 });
}, PROCESS_TEST_TIMEOUT_MS);
afterAll(async () => {
  patchbay.child.kill("SIGTERM");
  await patchbay.exited;
  await rm(home, { recursive: true, force: true });
});

/** The log lines about refused model connections written since `from`. */
function refusedLines(from: number): string[] {
  return patchbay.logs.slice(from).filter((line) => line.includes("ECONNREFUSED"));
}

describe("no model server", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it.each([false, true])(
    "answers 502 naming the URL and the way to configure one (stream: %s), logged once",
    async (stream) => {
      const before = patchbay.logs.length;
      const failure: unknown = await client.responses
        .create({ model: "llama3.2", input: "hi", stream })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(failure).toBeInstanceOf(OpenAI.APIError);
      const apiError = failure as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.status).toBe(502);
      expect(apiError.message).toContain(`Could not connect to the model server at ${modelUrl}`);
      expect(apiError.message).toContain("ECONNREFUSED");
      expect(apiError.message).toContain("INFERENCE_BASE_URL");
      expect(apiError.message).toContain("providers.inference");

      const requestId = apiError.requestID!;
      await patchbay.waitForLog(new RegExp(`"request_id":"${requestId}".*"msg":"request"`));
      const lines = refusedLines(before);
      expect(lines).toHaveLength(1);
      const record = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(record).toMatchObject({
        level: 40,
        request_id: requestId,
        status: 502,
        code: "server_error",
      });
      expect(record).not.toHaveProperty("err");
      expect(lines[0]).not.toContain("stack");
    },
  );
});
