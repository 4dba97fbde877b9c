/**
 * Starts the real Patchbay (config loader → adapters → app) on `127.0.0.1:0` for e2e tests, with
 * its JSON log lines captured, and an official `openai` client pointed at it.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { serve } from "@hono/node-server";
import OpenAI from "openai";
import { pino } from "pino";
import { loadConfig } from "../../src/config/load-config.js";
import type { PatchbayConfig } from "../../src/config/patchbay-config.js";
import { createRuntime } from "../../src/create-runtime.js";
import { handleClientError } from "../../src/http/client-error-handler.js";
import type { Runtime } from "../../src/create-runtime.js";

export interface StartPatchbayOptions {
  modelUrl: string;
  /** Reuse a data directory (restart tests); a fresh temp dir otherwise. */
  home?: string;
  /** Adjust the loaded config (keys, timeouts, connectors) before start. */
  configure?: (config: PatchbayConfig) => void;
  /** API key the `client` sends (default: the first configured key, else "test"). */
  apiKey?: string;
}

export interface TestPatchbay {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `http://127.0.0.1:<port>/v1`, the `openai` client's baseURL. */
  baseURL: string;
  client: OpenAI;
  config: PatchbayConfig;
  runtime: Runtime;
  home: string;
  /** Every log line written so far (JSON text). */
  logs: string[];
  /** Stops the server; removes the data directory unless `keepHome`. */
  close(options?: { keepHome?: boolean }): Promise<void>;
}

export async function startPatchbay(options: StartPatchbayOptions): Promise<TestPatchbay> {
  const home = options.home ?? (await mkdtemp(join(tmpdir(), "patchbay-e2e-")));
  const config = loadConfig({ env: { INFERENCE_BASE_URL: options.modelUrl, PATCHBAY_HOME: home } });
  options.configure?.(config);

  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      callback();
    },
  });
  const logger = pino({ level: "debug" }, sink);
  const runtime = await createRuntime(config, { logger });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: runtime.app.fetch, hostname: "127.0.0.1", port: 0 }, () =>
      resolve(started),
    );
  });
  server.on("clientError", handleClientError);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const apiKey = options.apiKey ?? config.server.apiKeys[0]?.key ?? "test";
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0, timeout: 15_000 });

  return {
    url,
    baseURL: `${url}/v1`,
    client,
    config,
    runtime,
    home,
    logs,
    async close(closeOptions = {}) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await runtime.close();
      if (!closeOptions.keepHome && !options.home) await rm(home, { recursive: true, force: true });
    },
  };
}

/** Every SQLite file in a data directory (WAL included) as text, for secret sweeps to search. */
export async function readDatabaseFiles(home: string): Promise<string[]> {
  const names = (await readdir(home, { recursive: true })).filter((name) => name.includes(".db"));
  const files = await Promise.all(names.map((name) => readFile(join(home, name))));
  return files.map((buffer) => buffer.toString("latin1"));
}
