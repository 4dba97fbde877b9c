/**
 * A `sql_postgres`/`kv_postgres` storage backend (PRODUCT.md §2 "Storage", issue 13 §1): Llama
 * Stack's keys (`url`, or `host`/`port`/`db`/`user`/`password`; `pool_size`, `max_overflow`,
 * `pool_recycle`; `ssl_mode`, `ca_cert_path`) plus Patchbay's `schema` and timeouts. Parsed into
 * one connection description, so nothing downstream reads a URL. No message here repeats the URL
 * or the password: both may hold the secret.
 */
import * as z from "zod";
import { expected, integerFromEnv, NonEmptyStringSchema } from "./config-field-schemas.js";
import type { PostgresBackendConfig, PostgresSslMode } from "./patchbay-config.js";

export const POSTGRES_SSL_MODES = [
  "disable",
  "require",
  "verify-ca",
  "verify-full",
] as const satisfies readonly PostgresSslMode[];

/** Llama Stack's defaults for the discrete fields. */
const DEFAULT_HOST = "localhost";
const DEFAULT_PORT = 5432;
const DEFAULT_DATABASE = "llamastack";
const DEFAULT_SCHEMA = "public";
const DEFAULT_POOL_SIZE = 10;
const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Lower case, so the name means the same quoted and unquoted; `pg_` is reserved by PostgreSQL. */
const SCHEMA_NAME = /^(?!pg_)[a-z_][a-z0-9_]{0,62}$/;

const SslModeSchema = z.enum(POSTGRES_SSL_MODES, {
  error: expected(`expected one of ${POSTGRES_SSL_MODES.join(", ")}`),
});

/** Where and how to connect, with every default applied: a backend without its name and kind. */
export type PostgresConnectionEntry = Omit<PostgresBackendConfig, "name" | "kind">;

const DISCRETE_KEYS = ["host", "port", "db", "user", "password"] as const;

export const PostgresBackendSchema = z
  .strictObject({
    type: z.enum(["kv_postgres", "sql_postgres"]),
    url: z.string().optional(),
    host: NonEmptyStringSchema.optional(),
    port: integerFromEnv(1, 65_535).optional(),
    db: NonEmptyStringSchema.optional(),
    user: NonEmptyStringSchema.optional(),
    password: z.string().optional(),
    schema: z
      .string()
      .regex(SCHEMA_NAME, "expected a lower-case identifier (a-z, 0-9, _), not starting pg_")
      .optional(),
    ssl_mode: SslModeSchema.optional(),
    ca_cert_path: NonEmptyStringSchema.optional(),
    pool_size: integerFromEnv(1, 1000).optional(),
    max_overflow: integerFromEnv(0, 1000).optional(),
    pool_recycle: integerFromEnv(-1).optional(),
    statement_timeout_ms: integerFromEnv(1).optional(),
    connect_timeout_ms: integerFromEnv(1).optional(),
  })
  .transform((backend, context) => {
    const discrete = DISCRETE_KEYS.filter((key) => backend[key] !== undefined);
    let target: UrlTarget;
    if (backend.url !== undefined) {
      if (discrete.length > 0) {
        context.addIssue({
          code: "custom",
          path: ["url"],
          message: `give url or ${discrete.join("/")}, not both`,
        });
        return z.NEVER;
      }
      const parsed = parsePostgresUrl(backend.url);
      if (typeof parsed === "string") {
        context.addIssue({ code: "custom", path: ["url"], message: parsed });
        return z.NEVER;
      }
      target = parsed;
    } else if (backend.user === undefined) {
      context.addIssue({ code: "custom", path: ["user"], message: "is required (or give url)" });
      return z.NEVER;
    } else {
      target = {
        host: backend.host ?? DEFAULT_HOST,
        port: backend.port ?? DEFAULT_PORT,
        database: backend.db ?? DEFAULT_DATABASE,
        user: backend.user,
        password: backend.password,
        sslMode: undefined,
        caCertPath: undefined,
      };
    }
    for (const [key, fromUrl] of [
      ["ssl_mode", target.sslMode],
      ["ca_cert_path", target.caCertPath],
    ] as const) {
      if (fromUrl !== undefined && backend[key] !== undefined) {
        context.addIssue({
          code: "custom",
          path: [key],
          message: `also given in url (${key === "ssl_mode" ? "sslmode" : "sslrootcert"}); give it once`,
        });
        return z.NEVER;
      }
    }
    const sslMode = backend.ssl_mode ?? target.sslMode ?? "disable";
    const caCertPath = backend.ca_cert_path ?? target.caCertPath ?? null;
    if (caCertPath !== null && (sslMode === "disable" || sslMode === "require")) {
      context.addIssue({
        code: "custom",
        path: ["ca_cert_path"],
        message: "is only used with ssl_mode verify-ca or verify-full",
      });
      return z.NEVER;
    }
    const recycle = backend.pool_recycle ?? -1;
    const entry: PostgresConnectionEntry = {
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.user,
      password: target.password === undefined || target.password === "" ? null : target.password,
      schema: backend.schema ?? DEFAULT_SCHEMA,
      sslMode,
      caCertPath,
      maxConnections: (backend.pool_size ?? DEFAULT_POOL_SIZE) + (backend.max_overflow ?? 0),
      maxConnectionLifetimeS: recycle <= 0 ? null : recycle,
      statementTimeoutMs: backend.statement_timeout_ms ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: backend.connect_timeout_ms ?? DEFAULT_CONNECT_TIMEOUT_MS,
    };
    return { type: backend.type, ...entry };
  });

interface UrlTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | undefined;
  sslMode: PostgresSslMode | undefined;
  caCertPath: string | undefined;
}

const URL_PARAMETERS = new Set(["sslmode", "sslrootcert"]);

/**
 * A libpq-style URL (`postgres[ql]://user[:password]@host[:port][/db][?sslmode=…&sslrootcert=…]`),
 * or a message saying what is wrong with it. The database defaults to the user name, as in libpq.
 */
export function parsePostgresUrl(text: string): UrlTarget | string {
  if (!/^postgres(ql)?:\/\//.test(text) || !URL.canParse(text)) {
    return "invalid URL (expected postgres:// or postgresql://)";
  }
  const url = new URL(text);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "" || host.includes(",")) return "must name exactly one host";
  const user = decode(url.username);
  const password = decode(url.password);
  const database = decode(url.pathname.replace(/^\//, ""));
  if (user === null || password === null || database === null) {
    return "invalid percent-encoding in the user, password or database";
  }
  if (user === "") return "must name a user (postgres://user@host/db)";
  const unsupported = [...url.searchParams.keys()].filter((key) => !URL_PARAMETERS.has(key));
  if (unsupported.length > 0) {
    return `unsupported parameter '${unsupported[0]}' (supported: ${[...URL_PARAMETERS].join(", ")})`;
  }
  const sslMode = url.searchParams.get("sslmode");
  if (sslMode !== null && !isSslMode(sslMode)) {
    return `sslmode '${sslMode}' is not supported (expected ${POSTGRES_SSL_MODES.join(", ")})`;
  }
  const caCertPath = url.searchParams.get("sslrootcert");
  return {
    host,
    port: url.port === "" ? DEFAULT_PORT : Number(url.port),
    database: database === "" ? user : database,
    user,
    password: password === "" ? undefined : password,
    sslMode: sslMode ?? undefined,
    caCertPath: caCertPath === null || caCertPath === "" ? undefined : caCertPath,
  };
}

function isSslMode(value: string): value is PostgresSslMode {
  return (POSTGRES_SSL_MODES as readonly string[]).includes(value);
}

function decode(component: string): string | null {
  try {
    return decodeURIComponent(component);
  } catch {
    return null;
  }
}
