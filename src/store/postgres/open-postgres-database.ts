/**
 * Opens the pool behind a `sql_postgres`/`kv_postgres` backend (issue 13 §1) and migrates its
 * schema before anything else touches it. The pool's bounds come from the config: connections
 * (`pool_size` + `max_overflow`), connecting or waiting for a free connection
 * (`connect_timeout_ms`), each statement on the server (`statement_timeout_ms`) and, a little
 * later, on the client, for a server that stopped answering.
 */
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { Pool, type ClientConfig, type PoolConfig } from "pg";
import type { Logger } from "pino";
import type { PostgresBackendConfig } from "../../config/patchbay-config.js";
import { ConfigError } from "../../errors/config-error.js";
import type { Migration } from "../migration.js";
import { classifyPostgresFailure } from "./classify-postgres-failure.js";
import { PostgresDatabase } from "./postgres-database.js";
import { applyPostgresMigrations } from "./postgres-migrations.js";

/** How long past the server's statement timeout the client waits before giving up on an answer. */
const CLIENT_TIMEOUT_MARGIN_MS = 1_000;
/** A connection unused this long is closed (the pool opens another when it needs one). */
const IDLE_TIMEOUT_MS = 30_000;
/** TCP keep-alive, so a peer that vanished is noticed on idle pooled connections. */
const KEEP_ALIVE_DELAY_MS = 10_000;

export interface OpenPostgresOptions {
  logger: Logger;
  /** Tests pass their own list; production migrates with `postgresMigrations`. */
  migrations?: readonly Migration[];
}

/**
 * Connects, migrates (under the advisory lock) and returns the shared database. Throws
 * `StorageUnavailableError` when the server cannot be reached, `SchemaVersionError` for a schema
 * written by a newer Patchbay, `ConfigError` for an unreadable CA file.
 */
export async function openPostgresDatabase(
  backend: PostgresBackendConfig,
  options: OpenPostgresOptions,
): Promise<PostgresDatabase> {
  const pool = new Pool(toPoolConfig(backend));
  const description = describeBackend(backend);
  pool.on("error", (error) => {
    // An idle pooled connection failed (server restart, pg_terminate_backend): the pool has
    // already dropped it. Only the reason is logged: the error references the connection.
    const failure = classifyPostgresFailure(error);
    options.logger.warn(
      { backend: backend.name, code: failure.code, reason: failure.reason },
      "an idle PostgreSQL connection failed and was dropped",
    );
  });
  const database = new PostgresDatabase(pool, description, backend.maxConnections);
  try {
    await applyPostgresMigrations(database, backend.schema, options.migrations);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** `PostgreSQL user@host:port/db`: for messages and logs, never with the password. */
export function describeBackend(backend: PostgresBackendConfig): string {
  const host = backend.host.includes(":") ? `[${backend.host}]` : backend.host;
  return `PostgreSQL ${backend.user}@${host}:${backend.port}/${backend.database}`;
}

function toPoolConfig(backend: PostgresBackendConfig): PoolConfig {
  return {
    ...toDedicatedConnectionConfig(backend),
    max: backend.maxConnections,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    maxLifetimeSeconds: backend.maxConnectionLifetimeS ?? 0,
    statement_timeout: backend.statementTimeoutMs,
    query_timeout: backend.statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
    // A transaction left open (a stalled replica) must not hold its locks for long.
    idle_in_transaction_session_timeout: 2 * backend.statementTimeoutMs,
  };
}

/**
 * A connection outside the pool, for what lives as long as a connection (`LISTEN`, a session
 * advisory lock): the pool's server, credentials and schema, no statement timeout (a lock wait or
 * a listen is meant to last). Keep-alive bounds how long a vanished peer goes unnoticed.
 */
export function toDedicatedConnectionConfig(backend: PostgresBackendConfig): ClientConfig {
  return {
    host: backend.host,
    port: backend.port,
    database: backend.database,
    user: backend.user,
    ...(backend.password === null ? {} : { password: backend.password }),
    ssl: toSsl(backend),
    connectionTimeoutMillis: backend.connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEP_ALIVE_DELAY_MS,
    application_name: "patchbay",
    options: `-c search_path=${backend.schema}`,
  };
}

/** libpq's `sslmode` meanings, as far as Node's TLS can give them. */
function toSsl(backend: PostgresBackendConfig): false | ConnectionOptions {
  switch (backend.sslMode) {
    case "disable":
      return false;
    case "require":
      return { rejectUnauthorized: false };
    case "verify-ca":
      // The chain is checked, the host name is not.
      return { rejectUnauthorized: true, ...readCa(backend), checkServerIdentity: () => undefined };
    case "verify-full":
      return { rejectUnauthorized: true, ...readCa(backend) };
  }
}

function readCa(backend: PostgresBackendConfig): { ca?: string } {
  if (backend.caCertPath === null) return {};
  try {
    return { ca: readFileSync(backend.caCertPath, "utf8") };
  } catch (error) {
    throw new ConfigError(
      [
        `storage.backends.${backend.name}.ca_cert_path: cannot read ${backend.caCertPath} (${
          error instanceof Error ? error.message : String(error)
        })`,
      ],
      { cause: error },
    );
  }
}
