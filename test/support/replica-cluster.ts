/**
 * N Patchbay processes on one PostgreSQL schema (issue 13 "Tests"): the same run.yaml, the same
 * model server, each on its own port, as a load balancer would see them. Requests go to one
 * replica by index or round-robin (`next`); `kill` is a kill -9.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import type { PostgresBackendConfig } from "../../src/config/patchbay-config.js";
import { spawnPatchbay, type PatchbayProcess } from "./patchbay-process.js";

const RUN_YAML = `
storage:
  backends:
    pg:
      type: sql_postgres
      url: \${env.DATABASE_URL}
      schema: \${env.PG_SCHEMA}
      pool_size: 4
      connect_timeout_ms: 5000
providers:
  agents:
  - provider_id: meta-reference
    provider_type: inline::meta-reference
    config:
      persistence:
        responses:
          backend: pg
`;

export interface Replica {
  index: number;
  process: PatchbayProcess;
  /** The official client on this replica. */
  client: OpenAI;
  /** `fetch` on this replica's origin, JSON bodies by default. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** True until `kill`. */
  alive: boolean;
}

export interface ReplicaCluster {
  replicas: Replica[];
  /** The next live replica, round-robin. */
  next(): Replica;
  /** kill -9; resolves once the process is gone. */
  kill(replica: Replica): Promise<void>;
  close(): Promise<void>;
}

export interface ReplicaClusterOptions {
  count: number;
  backend: PostgresBackendConfig;
  /** The model server's base URL (`…/v1`). */
  modelUrl: string;
  env?: Record<string, string>;
}

export async function startReplicaCluster(options: ReplicaClusterOptions): Promise<ReplicaCluster> {
  const directory = await mkdtemp(join(tmpdir(), "patchbay-replicas-"));
  const configPath = join(directory, "run.yaml");
  await writeFile(configPath, RUN_YAML);
  const { backend } = options;
  const password = backend.password === null ? "" : `:${encodeURIComponent(backend.password)}`;
  const env = {
    INFERENCE_BASE_URL: options.modelUrl,
    PATCHBAY_CONFIG: configPath,
    DATABASE_URL: `postgres://${backend.user}${password}@${backend.host}:${backend.port}/${backend.database}`,
    PG_SCHEMA: backend.schema,
    ...options.env,
  };
  const started = await Promise.allSettled(
    Array.from({ length: options.count }, () => spawnPatchbay(env)),
  );
  const processes = started.flatMap((result) =>
    result.status === "fulfilled" ? [result.value] : [],
  );
  const failed = started.find((result) => result.status === "rejected");
  if (failed !== undefined) {
    for (const process of processes) process.child.kill("SIGKILL");
    await rm(directory, { recursive: true, force: true });
    throw failed.reason;
  }
  const replicas = processes.map((process, index): Replica => ({
    index,
    process,
    client: new OpenAI({ baseURL: `${process.url}/v1`, apiKey: "unused", maxRetries: 0 }),
    api: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (init.body !== undefined && !headers.has("content-type"))
        headers.set("content-type", "application/json");
      return fetch(`${process.url}${path}`, { ...init, headers });
    },
    alive: true,
  }));
  let turn = 0;
  return {
    replicas,
    next() {
      const live = replicas.filter((replica) => replica.alive);
      const replica = live[turn % live.length];
      turn += 1;
      if (replica === undefined) throw new Error("No replica is alive");
      return replica;
    },
    async kill(replica) {
      replica.alive = false;
      replica.process.child.kill("SIGKILL");
      await replica.process.exited;
    },
    async close() {
      await Promise.all(
        replicas.map(async (replica) => {
          if (!replica.alive) return;
          replica.alive = false;
          replica.process.child.kill("SIGTERM");
          await replica.process.exited;
        }),
      );
      await rm(directory, { recursive: true, force: true });
    },
  };
}
