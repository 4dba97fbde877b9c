/**
 * Composition root (STYLE.md "Layout"): argv/env → config → adapters → app → listen. The only
 * file that reads `process.env` or listens. Config errors exit with code 2 (PRODUCT.md §2).
 */
import { serve } from "@hono/node-server";
import { pino } from "pino";
import { loadConfig } from "./config/load-config.js";
import { parseCliArgs } from "./config/parse-cli-args.js";
import type { PatchbayConfig } from "./config/patchbay-config.js";
import { ConfigError } from "./errors/config-error.js";
import { createRuntime } from "./create-runtime.js";
import { handleClientError } from "./http/client-error-handler.js";

const USAGE = `Usage: patchbay [--config run.yaml] [--host 127.0.0.1] [--port 8321]

  --config  Llama Stack-shaped run.yaml (or PATCHBAY_CONFIG); built-in defaults without one
  --host    bind address (default 127.0.0.1; forced to loopback when no API keys are configured)
  --port    port (default 8321)`;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

function readConfig(): PatchbayConfig | null {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return null;
  }
  return loadConfig({
    path: args.configPath ?? (process.env.PATCHBAY_CONFIG || undefined),
    env: process.env,
    overrides: { host: args.host, port: args.port },
  });
}

async function main(): Promise<void> {
  const logger = pino({ level: process.env.PATCHBAY_LOG_LEVEL ?? "info" });
  const config = readConfig();
  if (!config) return;
  if (config.ignored.length > 0) {
    logger.warn(
      { ignored: config.ignored },
      `config: ignoring parts Patchbay does not use: ${config.ignored.join(", ")}`,
    );
  }
  let host = config.server.host;
  if (config.server.apiKeys.length === 0 && !LOOPBACK.has(host)) {
    logger.warn(
      { requested_host: host },
      "no API keys configured: binding to 127.0.0.1 only (PRODUCT.md §7)",
    );
    host = "127.0.0.1";
  } else if (config.server.apiKeys.length === 0) {
    logger.warn("no API keys configured: every route is open to local callers");
  }

  const runtime = await createRuntime(config, { logger, defaultMetrics: true });
  const server = serve(
    { fetch: runtime.app.fetch, hostname: host, port: config.server.port },
    (info) => {
      logger.info({ host, port: info.port }, `Patchbay listening on http://${host}:${info.port}`);
    },
  );
  server.on("clientError", handleClientError);
  server.on("error", (error) => {
    logger.fatal({ err: error }, "cannot listen");
    process.exit(1);
  });

  let stopping = false;
  const graceMs = Number(process.env.PATCHBAY_SHUTDOWN_GRACE_MS ?? 10_000);
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(
      { signal, grace_ms: graceMs },
      "shutting down: no new connections, draining responses",
    );
    server.close();
    if ("closeIdleConnections" in server) server.closeIdleConnections();
    runtime
      .close({ graceMs })
      .then(() => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        logger.info("shutdown complete");
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  // A bad config, found while loading it or while building the adapters, exits 2 (PRODUCT.md §2).
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error("Patchbay failed to start:", error);
  process.exit(1);
});
