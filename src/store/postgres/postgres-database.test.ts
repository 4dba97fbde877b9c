import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { closedPort } from "../../../test/support/listen-on-loopback.js";
import { postgresTestDatabase } from "../../../test/support/postgres.js";
import { startTcpProxy, type TcpProxy } from "../../../test/support/tcp-proxy.js";
import { waitForChange } from "../../../test/support/wait-for-change.js";
import type { PostgresBackendConfig } from "../../config/patchbay-config.js";
import { StorageUnavailableError } from "../../errors/storage-unavailable-error.js";
import { openPostgresDatabase } from "./open-postgres-database.js";
import { PostgresStatementError, type PostgresDatabase } from "./postgres-database.js";

const postgres = postgresTestDatabase();
const PASSWORD = "pw-never-logged-7c1";
const opened: PostgresDatabase[] = [];
const proxies: TcpProxy[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

/** A logger whose lines the test can read, and wait for. */
function capturedLogger() {
  const lines: string[] = [];
  const written = new EventEmitter();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      written.emit("line");
      callback();
    },
  });
  const waitForLine = (pattern: RegExp) =>
    waitForChange(written, "line", () => lines.some((line) => pattern.test(line)));
  return { logger: pino({ level: "debug" }, sink), lines, waitForLine };
}

async function open(
  backend: PostgresBackendConfig,
  logger = pino({ level: "silent" }),
): Promise<PostgresDatabase> {
  const database = await openPostgresDatabase(backend, { logger });
  opened.push(database);
  return database;
}

async function failureOf(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await promise.then(
    () => new Error("expected a rejection"),
    (caught: unknown) => caught,
  );
  return { error, ms: performance.now() - started };
}

/** The backend reached through a proxy the test controls. */
async function behindProxy(overrides: Partial<PostgresBackendConfig> = {}) {
  const backend = postgres.backend(overrides);
  const proxy = await startTcpProxy({ host: backend.host, port: backend.port });
  proxies.push(proxy);
  return { backend: { ...backend, host: "127.0.0.1", port: proxy.port }, proxy };
}

describe.skipIf(postgres.skipReason !== null)("PostgreSQL connections", () => {
  it("fails fast on a refused port, naming the server but never the password", async () => {
    const port = await closedPort();
    const backend = { ...postgres.backend(), host: "127.0.0.1", port, password: PASSWORD };
    const { error, ms } = await failureOf(open(backend));
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(String(error)).toContain(`@127.0.0.1:${port}/`);
    expect(String(error)).toContain("ECONNREFUSED");
    expect(ms).toBeLessThan(backend.connectTimeoutMs);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(PASSWORD);
  });

  it("reports a missing database or a server without TLS as unavailable, without the password", async () => {
    const missing = { ...postgres.backend(), database: "pb_no_such_db", password: PASSWORD };
    const tls = { ...postgres.backend(), sslMode: "require" as const, password: PASSWORD };
    for (const [backend, reason] of [
      [missing, /3D000.*"pb_no_such_db" does not exist/],
      [tls, /does not support SSL/],
    ] as const) {
      const { error } = await failureOf(open(backend));
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect(String(error)).toMatch(reason);
      expect(String(error)).not.toContain(PASSWORD);
    }
  });

  it("turns a refused statement into a PostgresStatementError and keeps the pool usable", async () => {
    const database = await open(postgres.backend());
    const { error } = await failureOf(
      database.read((session) => session.query("SELECT * FROM nope")),
    );
    expect(error).toBeInstanceOf(PostgresStatementError);
    expect(error).toMatchObject({ code: "42P01" });
    await expect(database.ping()).resolves.toBeUndefined();
  });

  it("reruns a transaction whose connection was terminated before COMMIT, exactly once", async () => {
    const database = await open(postgres.backend());
    await database.transaction((session) => session.query("CREATE TABLE runs (n integer)"));
    let attempts = 0;
    const result = await database.transaction(async (session) => {
      attempts += 1;
      await session.query("INSERT INTO runs VALUES ($1)", [attempts]);
      if (attempts === 1) await postgres.terminatePatchbayConnections();
      await session.query("INSERT INTO runs VALUES ($1)", [attempts * 10]);
      return attempts;
    });
    expect(result).toBe(2);
    const rows = await database.read((session) =>
      session.query<{ n: number }>("SELECT n FROM runs"),
    );
    expect(rows.rows.map((row) => row.n).sort((a, b) => a - b)).toEqual([2, 20]);
  });

  it("drops idle connections the server terminated, logs why without secrets, and carries on", async () => {
    const { logger, lines, waitForLine } = capturedLogger();
    const database = await open({ ...postgres.backend(), password: PASSWORD }, logger);
    await Promise.all(Array.from({ length: 8 }, () => database.ping()));
    expect(await postgres.terminatePatchbayConnections()).toBeGreaterThan(0);
    // Nothing uses the pool meanwhile: only its own listener hears the server's goodbye.
    await waitForLine(/idle PostgreSQL connection failed/);
    await Promise.all(Array.from({ length: 8 }, () => database.ping()));
    expect(lines.join("\n")).not.toContain(PASSWORD);
    expect(lines.join("\n")).toContain("57P01");
  });

  it("answers 'unavailable' within the connect timeout while the server is gone, and recovers", async () => {
    const { backend, proxy } = await behindProxy({ connectTimeoutMs: 500 });
    const database = await open(backend);
    await database.ping();
    await proxy.setState("refuse");
    const refused = await failureOf(database.ping());
    expect(refused.error).toBeInstanceOf(StorageUnavailableError);
    expect(refused.ms).toBeLessThan(backend.connectTimeoutMs);
    await proxy.setState("forward");
    await expect(database.ping()).resolves.toBeUndefined();
  });

  it("gives up on a silent server within the timeouts, never hangs, and recovers", async () => {
    const { backend, proxy } = await behindProxy({
      connectTimeoutMs: 400,
      statementTimeoutMs: 400,
    });
    const database = await open(backend);
    await database.ping();
    // An established connection stops answering: the client-side statement deadline ends it.
    await proxy.setState("stall");
    const stalled = await failureOf(database.ping());
    expect(stalled.error).toBeInstanceOf(StorageUnavailableError);
    expect(String(stalled.error)).toMatch(/Query read timeout|timeout/);
    expect(stalled.ms).toBeLessThan(backend.statementTimeoutMs + 1_000 + 1_000);
    // A new connection gets no answer at all: the connect timeout ends it.
    const fresh = await failureOf(database.ping());
    expect(fresh.error).toBeInstanceOf(StorageUnavailableError);
    expect(fresh.ms).toBeLessThan(backend.connectTimeoutMs + 1_000);
    await proxy.setState("forward");
    await expect(database.ping()).resolves.toBeUndefined();
  });

  it("stores U+0000 in text as U+FFFD and looks it up the same way, instead of failing", async () => {
    const database = await open(postgres.backend());
    await database.transaction((session) => session.query("CREATE TABLE words (w text)"));
    await database.transaction((session) =>
      session.query("INSERT INTO words VALUES ($1)", ["a\u0000b"]),
    );
    const found = await database.read((session) =>
      session.query<{ w: string }>("SELECT w FROM words WHERE w = $1", ["a\u0000b"]),
    );
    expect(found.rows).toEqual([{ w: "a\uFFFDb" }]);
  });
});
