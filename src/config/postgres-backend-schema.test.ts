import { describe, expect, it } from "vitest";
import { configFixtureFolder } from "../../test/support/config-fixture-folder.js";
import { ConfigError } from "../errors/config-error.js";
import { loadConfig } from "./load-config.js";
import type { StorageBackendConfig } from "./patchbay-config.js";

const { writeFixture } = configFixtureFolder();

const SECRET = "s3cret-Pa55";

/** A config whose `storage.backends.pg` has `lines` (one key per line) and stores responses there. */
function withBackend(lines: string): string {
  const body = lines
    .trim()
    .split("\n")
    .map((line) => `      ${line.trim()}`)
    .join("\n");
  return `storage:
  backends:
    pg:
${body}
providers:
  agents:
  - provider_id: meta-reference
    provider_type: inline::meta-reference
    config:
      persistence:
        responses:
          backend: pg
`;
}

function backendOf(lines: string, env: Record<string, string> = {}): StorageBackendConfig {
  return loadConfig({ path: writeFixture(withBackend(lines)), env }).storage.backend;
}

function issuesOf(lines: string, env: Record<string, string> = {}): string[] {
  try {
    loadConfig({ path: writeFixture(withBackend(lines)), env });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("a PostgreSQL backend from a URL", () => {
  it("decodes user, password and database, and keeps the defaults", () => {
    const backend = backendOf(
      `type: sql_postgres\nurl: postgresql://app%40corp:${SECRET}%2F1@db.example.com:6543/pb%20data`,
    );
    expect(backend).toEqual({
      name: "pg",
      kind: "postgres",
      host: "db.example.com",
      port: 6543,
      database: "pb data",
      user: "app@corp",
      password: `${SECRET}/1`,
      schema: "public",
      sslMode: "disable",
      caCertPath: null,
      maxConnections: 10,
      maxConnectionLifetimeS: null,
      statementTimeoutMs: 15_000,
      connectTimeoutMs: 5_000,
    });
  });

  it("defaults the port to 5432 and the database to the user name, as libpq does", () => {
    expect(backendOf("type: sql_postgres\nurl: postgres://patchbay@[::1]")).toMatchObject({
      host: "::1",
      port: 5432,
      database: "patchbay",
      user: "patchbay",
      password: null,
    });
  });

  it("reads sslmode and sslrootcert from the query", () => {
    const backend = backendOf(
      "type: kv_postgres\nurl: postgres://u@h/db?sslmode=verify-full&sslrootcert=/etc/pb/ca.pem",
    );
    expect(backend).toMatchObject({ sslMode: "verify-full", caCertPath: "/etc/pb/ca.pem" });
  });

  it("takes the URL from the environment", () => {
    const backend = backendOf("type: sql_postgres\nurl: ${env.DATABASE_URL}", {
      DATABASE_URL: `postgres://pb:${SECRET}@10.0.0.5/patchbay`,
    });
    expect(backend).toMatchObject({ host: "10.0.0.5", user: "pb", password: SECRET });
  });
});

describe("a PostgreSQL backend from discrete fields", () => {
  it("applies Llama Stack's defaults", () => {
    expect(backendOf("type: sql_postgres\nuser: pb\npassword: ''")).toMatchObject({
      host: "localhost",
      port: 5432,
      database: "llamastack",
      user: "pb",
      password: null,
    });
  });

  it("takes every pool, timeout, TLS and schema setting, numbers also from env strings", () => {
    const backend = backendOf(
      `type: sql_postgres
       host: db
       port: \${env.PG_PORT:=5433}
       db: patchbay
       user: pb
       password: \${env.PG_PASSWORD}
       schema: patchbay_prod
       ssl_mode: verify-ca
       ca_cert_path: /etc/pb/ca.pem
       pool_size: \${env.PG_POOL:=8}
       max_overflow: 4
       pool_recycle: 3600
       statement_timeout_ms: 2000
       connect_timeout_ms: 750`,
      { PG_PASSWORD: SECRET },
    );
    expect(backend).toEqual({
      name: "pg",
      kind: "postgres",
      host: "db",
      port: 5433,
      database: "patchbay",
      user: "pb",
      password: SECRET,
      schema: "patchbay_prod",
      sslMode: "verify-ca",
      caCertPath: "/etc/pb/ca.pem",
      maxConnections: 12,
      maxConnectionLifetimeS: 3600,
      statementTimeoutMs: 2000,
      connectTimeoutMs: 750,
    });
  });
});

describe("a PostgreSQL backend is refused", () => {
  it.each([
    [
      `url: postgres://pb:${SECRET}@h/db\nhost: h`,
      "storage.backends.pg.url: give url or host, not both",
    ],
    ["db: x", "storage.backends.pg.user: is required (or give url)"],
    [
      `url: mysql://pb:${SECRET}@h/db`,
      "storage.backends.pg.url: invalid URL (expected postgres:// or postgresql://)",
    ],
    [
      `url: postgres://:${SECRET}@h/db`,
      "storage.backends.pg.url: must name a user (postgres://user@host/db)",
    ],
    [
      `url: postgres://pb:${SECRET}@h1,h2/db`,
      "storage.backends.pg.url: must name exactly one host",
    ],
    [
      `url: postgres://pb:${SECRET}%zz@h/db`,
      "storage.backends.pg.url: invalid percent-encoding in the user, password or database",
    ],
    [
      `url: postgres://pb:${SECRET}@h/db?application_name=x`,
      "storage.backends.pg.url: unsupported parameter 'application_name' (supported: sslmode, sslrootcert)",
    ],
    [
      `url: postgres://pb:${SECRET}@h/db?sslmode=prefer`,
      "storage.backends.pg.url: sslmode 'prefer' is not supported (expected disable, require, verify-ca, verify-full)",
    ],
    [
      `url: postgres://pb:${SECRET}@h/db?sslmode=require\nssl_mode: require`,
      "storage.backends.pg.ssl_mode: also given in url (sslmode); give it once",
    ],
    [
      "user: pb\nssl_mode: require\nca_cert_path: /ca.pem",
      "storage.backends.pg.ca_cert_path: is only used with ssl_mode verify-ca or verify-full",
    ],
    [
      "user: pb\nssl_mode: allow",
      "storage.backends.pg.ssl_mode: expected one of disable, require, verify-ca, verify-full",
    ],
    [
      "user: pb\nschema: Patchbay",
      "storage.backends.pg.schema: expected a lower-case identifier (a-z, 0-9, _), not starting pg_",
    ],
    [
      "user: pb\nschema: pg_catalog",
      "storage.backends.pg.schema: expected a lower-case identifier (a-z, 0-9, _), not starting pg_",
    ],
    ["user: pb\npool_size: 0", "storage.backends.pg.pool_size: expected an integer >= 1"],
    [
      "user: pb\nstatement_timeout_ms: fast",
      "storage.backends.pg.statement_timeout_ms: expected an integer",
    ],
    ["user: pb\npool: 3", "storage.backends.pg.pool: unknown key"],
  ])("%s", (lines, issue) => {
    const issues = issuesOf(`type: sql_postgres\n${lines}`);
    expect(issues).toEqual([issue]);
    expect(issues.join("\n")).not.toContain(SECRET);
  });
});
