/**
 * Background responses across replicas (issue 13 §4, issue 14 §2): three Patchbay processes on one
 * PostgreSQL database. A background response runs on the replica that accepted it; a cancel
 * through another replica stops it there, and a follower on a third sees its stream end; when the
 * running replica is killed (SIGKILL), another one fails the response once its lease expires, and
 * followers get the `response.failed` event instead of waiting forever.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSse } from "../support/collect-events.js";
import { PROCESS_TEST_TIMEOUT_MS } from "../support/patchbay-cli.js";
import { spawnPatchbay, type PatchbayProcess } from "../support/patchbay-process.js";
import { postgresTestDatabase } from "../support/postgres.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

const postgres = postgresTestDatabase();

/** A 2 s lease keeps the kill test short; the sweep runs every 250 ms. */
const RUN_YAML = `
server:
  background:
    lease_ms: 2000
storage:
  backends:
    pg:
      type: sql_postgres
      url: \${env.DATABASE_URL}
      schema: \${env.PG_SCHEMA}
      pool_size: 4
providers:
  agents:
  - provider_id: meta-reference
    provider_type: inline::meta-reference
    config:
      persistence:
        responses:
          backend: pg
`;

interface ResponseBody {
  id: string;
  status: string;
  error: { code: string; message: string } | null;
}

describe.skipIf(postgres.skipReason !== null)(
  "background responses on three replicas",
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    let model: ScriptedModel;
    let directory: string;
    let replicas: PatchbayProcess[] = [];

    const call = async (replica: PatchbayProcess, path: string, body?: unknown) =>
      fetch(`${replica.url}/v1/responses${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const json = async (answer: Promise<Response>): Promise<ResponseBody> => {
      const response = await answer;
      expect(response.status).toBe(200);
      return (await response.json()) as ResponseBody;
    };
    /** Starts a background response on `replica` whose model call hangs, once the call is made. */
    const startHanging = async (replica: PatchbayProcess): Promise<ResponseBody> => {
      const requestsBefore = model.requests.length;
      model.enqueue({ hang: true });
      const queued = await json(call(replica, "", { model: "m", input: "x", background: true }));
      await model.waitForRequests(requestsBefore + 1);
      return queued;
    };

    beforeAll(async () => {
      model = await startScriptedModel();
      directory = await mkdtemp(join(tmpdir(), "patchbay-replicas-background-"));
      const configPath = join(directory, "run.yaml");
      await writeFile(configPath, RUN_YAML);
      const backend = postgres.backend();
      const url = `postgres://${backend.user}@${backend.host}:${backend.port}/${backend.database}`;
      const env = {
        INFERENCE_BASE_URL: model.url,
        PATCHBAY_CONFIG: configPath,
        DATABASE_URL: url,
        PG_SCHEMA: backend.schema,
      };
      // One first, so the others find the schema migrated.
      replicas = [await spawnPatchbay(env)];
      replicas.push(...(await Promise.all([spawnPatchbay(env), spawnPatchbay(env)])));
    }, PROCESS_TEST_TIMEOUT_MS);

    afterAll(async () => {
      for (const replica of replicas) {
        if (replica.child.exitCode === null && replica.child.signalCode === null) {
          replica.child.kill("SIGTERM");
        }
      }
      await Promise.all(replicas.map((replica) => replica.exited));
      await model?.close();
      await rm(directory, { recursive: true, force: true });
    });

    it("cancels through replica 3 a response running on replica 1; replica 2's follower ends", async () => {
      const [one, two, three] = replicas as [PatchbayProcess, PatchbayProcess, PatchbayProcess];
      const abortedBefore = model.aborted;
      const queued = await startHanging(one);
      const follower = call(two, `/${queued.id}?stream=true`).then(readSse);
      expect((await json(call(two, `/${queued.id}`))).status).toBe("in_progress");

      const cancelled = await json(call(three, `/${queued.id}/cancel`, {}));
      expect(cancelled.status).toBe("cancelled");
      await model.waitForAbort(abortedBefore + 1);
      const events = await follower;
      expect(events.map((event) => event.event)).toEqual([
        "response.created",
        "response.in_progress",
      ]);
      for (const replica of [one, two, three]) {
        expect((await json(call(replica, `/${queued.id}`))).status).toBe("cancelled");
      }
      expect((await json(call(two, `/${queued.id}/cancel`, {}))).status).toBe("cancelled");
    });

    it("fails a response whose replica was killed, once its lease expires, and ends its followers", async () => {
      const [one, two, three] = replicas as [PatchbayProcess, PatchbayProcess, PatchbayProcess];
      const queued = await startHanging(one);
      const follower = call(two, `/${queued.id}?stream=true`).then(readSse);
      one.child.kill("SIGKILL");
      expect(await one.exited).toBe("SIGKILL");

      const events = await follower;
      // The kill may come before replica 1 stored `response.in_progress`: the sweep's
      // `response.failed` then takes its sequence number, and the stream stays contiguous.
      expect(events[0]?.event).toBe("response.created");
      expect(events.at(-1)?.event).toBe("response.failed");
      expect(events.map((event) => event.event).slice(1, -1)).toEqual(
        events.length === 3 ? ["response.in_progress"] : [],
      );
      events.forEach((event, index) => expect(event.data.sequence_number).toBe(index));
      const failed = await json(call(three, `/${queued.id}`));
      expect(failed.status).toBe("failed");
      expect(failed.error).toEqual({
        code: "server_error",
        message: expect.stringContaining("lease expired") as unknown,
      });
      expect(events.at(-1)?.data.response).toEqual(failed);
    });
  },
);
