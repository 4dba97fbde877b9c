/**
 * Patchbay as a process on PostgreSQL (issue 13 §1, §6): `src/main.ts` with a run.yaml whose
 * backend comes from `${env.…}`, serving and ready; and a database it cannot reach, which stops
 * the start with a clear line that names the server but never the password.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../support/listen-on-loopback.js";
import { PROCESS_TEST_TIMEOUT_MS } from "../support/patchbay-cli.js";
import { spawnPatchbay } from "../support/patchbay-process.js";
import { postgresTestDatabase } from "../support/postgres.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

const postgres = postgresTestDatabase();
const PASSWORD = "p@ss/w0rd-in-url-93e";

const RUN_YAML = `
storage:
  backends:
    pg:
      type: sql_postgres
      url: \${env.DATABASE_URL}
      schema: \${env.PG_SCHEMA:=public}
      pool_size: \${env.PG_POOL_SIZE:=4}
      connect_timeout_ms: 1000
providers:
  agents:
  - provider_id: meta-reference
    provider_type: inline::meta-reference
    config:
      persistence:
        responses:
          backend: pg
`;

describe.skipIf(postgres.skipReason !== null)(
  "Patchbay process on PostgreSQL",
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    let model: ScriptedModel;
    let directory: string;
    let configPath: string;

    beforeAll(async () => {
      model = await startScriptedModel({ fallback: { text: "from a process" } });
      directory = await mkdtemp(join(tmpdir(), "patchbay-pg-process-"));
      configPath = join(directory, "run.yaml");
      await writeFile(configPath, RUN_YAML);
    });
    afterAll(async () => {
      await model.close();
      await rm(directory, { recursive: true, force: true });
    });

    it("serves from a database given as ${env.DATABASE_URL}, and is ready", async () => {
      const backend = postgres.backend();
      const password = encodeURIComponent(PASSWORD);
      const url = `postgres://${backend.user}:${password}@${backend.host}:${backend.port}/${backend.database}`;
      const patchbay = await spawnPatchbay({
        INFERENCE_BASE_URL: model.url,
        PATCHBAY_CONFIG: configPath,
        DATABASE_URL: url,
        PG_SCHEMA: backend.schema,
      });
      try {
        expect((await fetch(`${patchbay.url}/ready`)).status).toBe(200);
        const created = await fetch(`${patchbay.url}/v1/responses`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: "m", input: "hi" }),
        });
        expect(created.status).toBe(200);
        const { id } = (await created.json()) as { id: string };
        const rows = await postgres.query(`SELECT id FROM "${backend.schema}".responses`);
        expect(rows).toEqual([{ id }]);
      } finally {
        patchbay.child.kill("SIGTERM");
      }
      expect(await patchbay.exited).toBe(0);
      expect(patchbay.logs.join("\n")).not.toContain(PASSWORD);
      expect(patchbay.logs.join("\n")).not.toContain(encodeURIComponent(PASSWORD));
    });

    it("stops with a clear reason, and no password, when the database cannot be reached", async () => {
      const port = await closedPort();
      const url = `postgresql://patchbay:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/patchbay`;
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "--port", "0"], {
        env: {
          ...process.env,
          INFERENCE_BASE_URL: model.url,
          PATCHBAY_CONFIG: configPath,
          DATABASE_URL: url,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      expect(code).toBe(1);
      expect(output).toContain(`PostgreSQL patchbay@127.0.0.1:${port}/patchbay is unavailable`);
      expect(output).toContain("ECONNREFUSED");
      expect(output).not.toContain(PASSWORD);
      expect(output).not.toContain(encodeURIComponent(PASSWORD));
    });
  },
);
