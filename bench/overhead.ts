/**
 * Patchbay's own overhead on a plain text response (issue 3): the same closed-loop load against
 * the scripted model directly (Chat Completions) and through Patchbay (`POST /v1/responses`,
 * stored in SQLite, info logging), interleaved in one run.
 *
 *   npm run bench -- overhead [--seconds 5] [--rounds 2] [--connections 32]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchArgs, compare } from "./support/compare.js";
import { startPatchbayProcess, startProcess } from "./support/processes.js";

const args = benchArgs();
const home = await mkdtemp(join(tmpdir(), "patchbay-bench-"));
const model = await startProcess("bench/support/model-process.ts", [], {}, /^http:/);
const modelUrl = model.line.trim();
const patchbay = await startPatchbayProcess(modelUrl, home);

const post = (url: string, body: string) => async () => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  await response.arrayBuffer();
};
await compare(
  "plain text response",
  {
    name: "model directly",
    task: post(
      `${modelUrl}/chat/completions`,
      JSON.stringify({
        model: "bench",
        messages: [{ role: "user", content: "hi" }],
        stream: false,
      }),
    ),
  },
  {
    name: "through Patchbay",
    task: post(`${patchbay.url}/v1/responses`, JSON.stringify({ model: "bench", input: "hi" })),
  },
  args,
);
await patchbay.stop();
await model.stop();
await rm(home, { recursive: true, force: true });
