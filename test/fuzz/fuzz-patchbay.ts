/**
 * The Patchbay every fuzz file attacks: the real config loader, adapters and HTTP server on
 * 127.0.0.1:0, a scripted model that always answers (so valid requests succeed fast), and a small
 * body limit so 64 KB cases stay quick. Nothing here leaves loopback.
 */
import { expect } from "vitest";
import type { PatchbayConfig } from "../../src/config/patchbay-config.js";
import {
  startScriptedModel,
  type ScriptedModel,
  type ScriptedStep,
} from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { isRecord } from "./http-answer.js";

export const FUZZ_BODY_LIMIT = 64 * 1024;

/** A shutdown that takes longer than this is a leak (see `close`). */
const CLOSE_DEADLINE_MS = 5_000;

export interface FuzzTarget {
  patchbay: TestPatchbay;
  model: ScriptedModel;
  /** Stops Patchbay and the model; rejects if Patchbay does not shut down within 5 s. */
  close(): Promise<void>;
}

/**
 * The model's answer to any request: the first offered tool is called once (skipping `slow`),
 * then it answers with text, so tool paths (function calls, MCP approvals and calls) run too.
 */
export function fuzzModelStep(body: Record<string, unknown>): ScriptedStep {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last: unknown = messages.at(-1);
  if (isRecord(last) && last.role === "tool") return { text: "ok" };
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const names = tools.flatMap((tool: unknown) =>
    isRecord(tool) && isRecord(tool.function) && typeof tool.function.name === "string"
      ? [tool.function.name]
      : [],
  );
  const name = names.find((candidate) => !candidate.endsWith("slow"));
  if (name === undefined) return { text: "ok" };
  return { toolCalls: [{ name, arguments: '{"message":"hi","a":1,"b":2,"city":"Oslo"}' }] };
}

export async function startFuzzTarget(
  configure: (config: PatchbayConfig) => void = () => undefined,
): Promise<FuzzTarget> {
  const model = await startScriptedModel({ fallback: fuzzModelStep, record: false });
  const patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.server.maxBodyBytes = FUZZ_BODY_LIMIT;
      configure(config);
    },
  });
  return {
    patchbay,
    model,
    async close() {
      try {
        await closeWithinDeadline(patchbay);
      } finally {
        await model.close();
      }
    },
  };
}

/**
 * Closes Patchbay, or rejects after 5 s: a shutdown that waits on a response that will never
 * finish is a leak to report, not a reason to hang the suite until vitest's hook timeout.
 */
export async function closeWithinDeadline(patchbay: TestPatchbay): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Patchbay did not shut down within ${CLOSE_DEADLINE_MS} ms`)),
      CLOSE_DEADLINE_MS,
    );
  });
  try {
    await Promise.race([patchbay.close(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** `/health`, `/ready` and `/metrics` still answer as usual after a file's hostile requests. */
export async function expectOperationsAnswer(patchbay: TestPatchbay): Promise<void> {
  const health = await fetch(`${patchbay.url}/health`);
  expect(await health.json()).toEqual({ status: "ok" });
  const ready = await fetch(`${patchbay.url}/ready`);
  expect(await ready.json()).toEqual({ status: "ready" });
  const metrics = await fetch(`${patchbay.url}/metrics`);
  expect(metrics.status).toBe(200);
  expect(await metrics.text()).toContain("patchbay_http_requests_total");
}
