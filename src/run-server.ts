/**
 * Runs the Patchbay server in this process: argv and env → config → runtime → listen → signals.
 * Both entry points call it with their own arguments: `src/main.ts` (`npm start`,
 * `node dist/main.js`) and `patchbay serve`, so flags, environment, exit codes, logs and
 * shutdown have one code path however Patchbay is started (STYLE.md "Layout": the composition
 * root). Exit codes: 2 for a bad flag, variable or config file; 1 when the server cannot start.
 */
import { serve } from "@hono/node-server";
import type { Logger } from "pino";
import { loadConfig } from "./config/load-config.js";
import { parseCliArgs } from "./config/parse-cli-args.js";
import type { PatchbayConfig } from "./config/patchbay-config.js";
import { readServerEnv } from "./config/server-env.js";
import type { ConfigEnv } from "./config/substitute-env.js";
import { ConfigError } from "./errors/config-error.js";
import { StorageUnavailableError } from "./errors/storage-unavailable-error.js";
import { createRuntime, type Runtime } from "./create-runtime.js";
import { handleClientError } from "./http/client-error-handler.js";
import { withoutCredentials } from "./lib/without-credentials.js";
import { createLogger } from "./observability/create-logger.js";
import { SchemaVersionError } from "./store/migration.js";

const USAGE = `Usage: patchbay [--config run.yaml] [--host 127.0.0.1] [--port 8321]

  --config  Llama Stack-shaped run.yaml (or PATCHBAY_CONFIG); built-in defaults without one
  --host    bind address (default 127.0.0.1; forced to loopback when no API keys are configured)
  --port    port (default 8321)

Environment: PATCHBAY_CONFIG, PATCHBAY_HOME, PATCHBAY_LOG_LEVEL (info), PATCHBAY_LOG_FORMAT
(json or pretty; pretty on a terminal), PATCHBAY_SHUTDOWN_GRACE_MS (10000), INFERENCE_BASE_URL and
INFERENCE_API_KEY (the model server when the config defines none).`;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/**
 * Starts the server; resolves once it is listening (or after `--help`). A startup failure is
 * reported in one place and ends the process with its exit code, never with a stack trace for an
 * expected condition (a bad config, a port in use).
 */
export async function runServer(argv: readonly string[], env: ConfigEnv): Promise<void> {
  try {
    await start(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`Patchbay failed to start: ${describeStartupError(error)}\n`);
    process.exit(1);
  }
}

async function start(argv: readonly string[], env: ConfigEnv): Promise<void> {
  const args = parseCliArgs([...argv]);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const serverEnv = readServerEnv(env);
  const config = loadConfig({
    path: args.configPath ?? serverEnv.configPath,
    env,
    overrides: { host: args.host, port: args.port },
  });
  const logger = createLogger({
    level: serverEnv.logLevel,
    format: serverEnv.logFormat,
    isTty: process.stdout.isTTY === true,
  });
  logConfiguration(logger, config, env);
  const host = bindHost(logger, config);
  const runtime = await createRuntime(config, { logger, defaultMetrics: true });
  const { server, listening } = listen(logger, runtime, host, config.server.port);
  // Before listening: a SIGTERM right after the "listening" line must already drain, not kill.
  handleSignals(logger, runtime, server, serverEnv.shutdownGraceMs);
  await listening;
}

function logConfiguration(logger: Logger, config: PatchbayConfig, env: ConfigEnv): void {
  if (config.ignored.length > 0) {
    logger.warn(
      { ignored: config.ignored },
      `config: ignoring parts Patchbay does not use: ${config.ignored.join(", ")}`,
    );
  }
  const servers = config.inference.map((provider) => ({
    provider_id: provider.providerId,
    provider_type: provider.providerType,
    url: withoutCredentials(provider.baseUrl),
  }));
  const fromEnv =
    config.inference.length === 1 && config.inference[0]?.providerId === "default"
      ? env["INFERENCE_BASE_URL"]
        ? " (from INFERENCE_BASE_URL)"
        : " (the default; set INFERENCE_BASE_URL or configure providers.inference to change it)"
      : "";
  logger.info(
    { model_servers: servers },
    `model servers: ${servers.map((server) => `${server.provider_id} at ${server.url}`).join(", ")}${fromEnv}`,
  );
}

/** Without API keys every route is open, so only loopback callers may reach it (PRODUCT.md §7). */
function bindHost(logger: Logger, config: PatchbayConfig): string {
  const requested = config.server.host;
  if (config.server.apiKeys.length > 0) return requested;
  if (!LOOPBACK.has(requested)) {
    logger.warn(
      { requested_host: requested },
      "no API keys configured: binding to 127.0.0.1 only; configure server.auth.api_keys to serve other hosts",
    );
    return "127.0.0.1";
  }
  logger.warn("no API keys configured: every route is open to local callers");
  return requested;
}

type HttpServer = ReturnType<typeof serve>;

/**
 * Starts listening; `listening` resolves once it does. A listen failure ends the process with one
 * line and exit code 1.
 */
function listen(
  logger: Logger,
  runtime: Runtime,
  host: string,
  port: number,
): { server: HttpServer; listening: Promise<void> } {
  let started: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => {
    started = resolve;
  });
  const server = serve({ fetch: runtime.app.fetch, hostname: host, port }, (info) => {
    logger.info({ host, port: info.port }, `Patchbay listening on http://${host}:${info.port}`);
    started();
  });
  server.on("clientError", handleClientError);
  server.on("error", (error: NodeJS.ErrnoException) => {
    const hint = listenErrorHint(error, host, port);
    if (hint === null) logger.fatal({ err: error }, "cannot listen");
    else logger.fatal({ host, port, code: error.code }, hint);
    process.exit(1);
  });
  return { server, listening };
}

/** One line an operator can act on for the listen failures people meet; null for the others. */
function listenErrorHint(error: NodeJS.ErrnoException, host: string, port: number): string | null {
  if (error.code === "EADDRINUSE") {
    return `cannot listen: port ${port} on ${host} is already in use; stop what uses it or start Patchbay with another --port`;
  }
  if (error.code === "EACCES") {
    return `cannot listen: no permission to bind port ${port} on ${host}; use a port of 1024 or above with --port`;
  }
  if (error.code === "EADDRNOTAVAIL") {
    return `cannot listen: ${host} is not an address of this machine; pick another --host`;
  }
  return null;
}

/** SIGTERM/SIGINT: stop accepting, let in-flight responses finish within the grace, exit 0. */
function handleSignals(
  logger: Logger,
  runtime: Runtime,
  server: HttpServer,
  graceMs: number,
): void {
  let stopping = false;
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

function describeStartupError(error: unknown): string {
  // An unreachable or too-new database is an expected condition: its message says it all.
  if (error instanceof StorageUnavailableError || error instanceof SchemaVersionError) {
    return error.message;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
