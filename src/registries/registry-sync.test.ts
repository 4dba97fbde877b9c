import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import {
  deletedEntry,
  sampleEntry,
  sampleRegistryConfig,
} from "../../test/contract/sample-registry-entries.js";
import { InMemoryRegistryClient } from "../../test/support/in-memory-registry-client.js";
import { ManualTimers } from "../../test/support/manual-timers.js";
import type { RegistryConfig } from "../config/patchbay-config.js";
import { RegistryError } from "../errors/registry-error.js";
import { openSqliteDatabase, type SqliteDatabase } from "../store/sqlite/open-sqlite-database.js";
import { SqliteRegistryMirror } from "../store/sqlite/sqlite-registry-mirror.js";
import { RegistrySync, type RegistrySyncOptions } from "./registry-sync.js";

const openDatabases: SqliteDatabase[] = [];
const runningSyncs: RegistrySync[] = [];
afterEach(async () => {
  await Promise.all(runningSyncs.splice(0).map((sync) => sync.stop()));
  for (const db of openDatabases.splice(0)) db.close();
});

const names = (count: number) =>
  Array.from(
    { length: count },
    (_, index) => `io.example/server-${String(index).padStart(4, "0")}`,
  );

/** A sync over a real in-memory SQLite mirror, a fake registry, manual timers and a fixed clock. */
function harness(
  options: { entries?: ReturnType<typeof sampleEntry>[]; registry?: Partial<RegistryConfig> } = {},
) {
  const db = openSqliteDatabase(":memory:");
  openDatabases.push(db);
  const mirror = new SqliteRegistryMirror(db);
  const client = new InMemoryRegistryClient(options.entries ?? []);
  const timers = new ManualTimers();
  const clock = { now: new Date("2025-06-01T12:00:00.000Z") };
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  const logger = pino({ level: "debug" }, sink);
  const create = (overrides: Partial<RegistrySyncOptions> = {}) => {
    const sync = new RegistrySync({
      registry: sampleRegistryConfig("reg", options.registry),
      client,
      mirror,
      logger,
      now: () => clock.now,
      setTimer: timers.setTimer,
      clearTimer: timers.clearTimer,
      ...overrides,
    });
    runningSyncs.push(sync);
    return sync;
  };
  return { sync: create(), create, mirror, client, timers, clock, logs };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe("RegistrySync", () => {
  it("crawls every page in the background after start() returns", async () => {
    const entries = names(250).map((name) => sampleEntry(name));
    const { sync, client, mirror, timers } = harness({ entries });
    const gate = deferred();
    client.gate = gate.promise;

    sync.start();
    expect(await mirror.getSyncState("reg")).toBeNull();
    gate.resolve();
    const result = await sync.syncNow();

    expect(result).toEqual({
      mode: "full",
      upserted: 250,
      deleted: 0,
      skipped: 0,
      servers: 250,
      versions: 250,
    });
    expect(client.requests.map((query) => query.limit)).toEqual([100, 100, 100]);
    expect(client.requests.map((query) => query.cursor)).toEqual([
      undefined,
      "io.example/server-0099:1.0.0",
      "io.example/server-0199:1.0.0",
    ]);
    expect(client.requests.every((query) => query.updatedSince === undefined)).toBe(true);
    expect((await mirror.list({ limit: 1000 })).data).toHaveLength(250);
    expect(await mirror.getSyncState("reg")).toMatchObject({
      lastSuccessAt: "2025-06-01T12:00:00.000Z",
      lastError: null,
      updatedSince: "2025-01-01T00:00:00.000Z",
      servers: 250,
      versions: 250,
    });
    expect(timers.delays).toEqual([60_000]);
  });

  it("stops at an empty page even when the previous page carried a cursor", async () => {
    const { sync, client } = harness({ entries: names(100).map((name) => sampleEntry(name)) });
    await sync.syncNow();
    expect(client.requests).toHaveLength(2);
  });

  it("picks up an added, an updated, a deprecated and a deleted server incrementally", async () => {
    const entries = ["a", "b", "c", "d"].map((letter) => sampleEntry(`io.example/${letter}`));
    const { sync, client, mirror, timers, clock } = harness({ entries });
    sync.start();
    await sync.syncNow();
    const changedAt = "2025-06-01T12:30:00.000Z";
    client.put(
      sampleEntry("io.example/e", "1.0.0", { updatedAt: changedAt }),
      sampleEntry("io.example/a", "1.0.0", { title: "Renamed", updatedAt: changedAt }),
      sampleEntry("io.example/b", "1.0.0", {
        status: "deprecated",
        statusMessage: "Moved to io.example/e",
        updatedAt: changedAt,
      }),
      { ...deletedEntry("io.example/c", "1.0.0"), updatedAt: changedAt },
    );
    clock.now = new Date("2025-06-01T13:00:00.000Z");

    timers.fireAll();
    const result = await sync.syncNow();

    expect(result).toMatchObject({ mode: "incremental", upserted: 3, deleted: 1, servers: 4 });
    expect(client.requests.at(-1)).toMatchObject({ updatedSince: "2025-01-01T00:00:00.000Z" });
    expect(await mirror.getLatest("reg", "io.example/e")).not.toBeNull();
    expect(await mirror.getLatest("reg", "io.example/a")).toMatchObject({ title: "Renamed" });
    expect(await mirror.getLatest("reg", "io.example/b")).toMatchObject({
      status: "deprecated",
      statusMessage: "Moved to io.example/e",
    });
    expect(await mirror.getLatest("reg", "io.example/c")).toBeNull();
    expect((await mirror.getSyncState("reg"))?.updatedSince).toBe(changedAt);
    expect(timers.count).toBe(1);
  });

  it("never moves the high-water mark past the pass start, less a skew margin", async () => {
    const future = "2025-06-01T12:59:00.000Z";
    const { sync, mirror } = harness({
      entries: [sampleEntry("io.example/a", "1.0.0", { updatedAt: future })],
    });
    await sync.syncNow();
    expect((await mirror.getSyncState("reg"))?.updatedSince).toBe("2025-06-01T11:55:00.000Z");
  });

  it("mirrors only names the include and exclude globs accept", async () => {
    const entries = ["io.example/keep", "io.example/secret-x", "org.other/tool"].map((name) =>
      sampleEntry(name),
    );
    const { sync, mirror, client } = harness({
      entries,
      registry: { include: ["io.example/*"], exclude: ["io.example/secret*"] },
    });
    await sync.syncNow();
    expect((await mirror.list({ limit: 10 })).data.map((server) => server.name)).toEqual([
      "io.example/keep",
    ]);
    const controller = new AbortController();
    expect(await sync.fetchOne("org.other/tool", "latest", controller.signal)).toBeNull();
    expect(client.getVersionCalls).toBe(0);
  });

  it("recrawls in full and drops what no longer belongs when the filters change", async () => {
    const entries = ["io.example/keep", "io.example/drop"].map((name) => sampleEntry(name));
    const { sync, create, mirror } = harness({ entries });
    await sync.syncNow();
    await sync.stop();
    const restarted = create({ registry: sampleRegistryConfig("reg", { exclude: ["*/drop"] }) });
    expect(await restarted.syncNow()).toMatchObject({ mode: "full", deleted: 1, servers: 1 });
    expect(await mirror.getLatest("reg", "io.example/drop")).toBeNull();
  });

  it("resumes incrementally after a restart with the same source", async () => {
    const { sync, create, client } = harness({ entries: [sampleEntry("io.example/a")] });
    await sync.syncNow();
    await sync.stop();
    expect(await create().syncNow()).toMatchObject({ mode: "incremental", upserted: 0 });
    expect(client.requests.at(-1)?.updatedSince).toBe("2025-01-01T00:00:00.000Z");
  });

  it("keeps the mirror and records the error when the registry fails", async () => {
    const { sync, client, mirror, logs, clock, timers } = harness({
      entries: [sampleEntry("io.example/a"), sampleEntry("io.example/b")],
    });
    sync.start();
    await sync.syncNow();
    clock.now = new Date("2025-06-01T14:00:00.000Z");
    client.failure = new RegistryError("Registry answered 503", { kind: "http", status: 503 });

    timers.fireAll();
    await expect(sync.syncNow()).rejects.toThrow(RegistryError);

    expect(await mirror.counts("reg")).toEqual({ servers: 2, versions: 2 });
    expect(await mirror.getLatest("reg", "io.example/a")).not.toBeNull();
    expect(await mirror.getSyncState("reg")).toMatchObject({
      lastSuccessAt: "2025-06-01T12:00:00.000Z",
      lastAttemptAt: "2025-06-01T14:00:00.000Z",
      lastError: "Registry answered 503",
      servers: 2,
    });
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        registry_id: "reg",
        msg: expect.stringMatching(/failed/),
      }),
    );
    expect(timers.count).toBe(1);
  });

  it("refuses an endless listing: a repeated cursor, or too many pages", async () => {
    const { sync, client, create } = harness();
    client.script = () => ({
      entries: [sampleEntry("io.example/loop")],
      skipped: 0,
      nextCursor: "same",
    });
    await expect(sync.syncNow()).rejects.toMatchObject({
      kind: "protocol",
      message: /repeated cursor/,
    });
    expect(client.requests).toHaveLength(2);

    let page = 0;
    client.script = () => {
      page += 1;
      return { entries: [sampleEntry("io.example/loop")], skipped: 0, nextCursor: `c${page}` };
    };
    await expect(create({ maxPages: 5 }).syncNow()).rejects.toMatchObject({
      kind: "protocol",
      message: /exceeded 5 pages/,
    });
    expect(page).toBe(5);
  });

  it("shares one in-flight pass between concurrent calls", async () => {
    const { sync, client } = harness({ entries: [sampleEntry("io.example/a")] });
    const gate = deferred();
    client.gate = gate.promise;
    const first = sync.syncNow();
    const second = sync.syncNow();
    const impatient = new AbortController();
    const third = sync.syncNow(impatient.signal);
    impatient.abort(new Error("caller gave up"));
    await expect(third).rejects.toThrow("caller gave up");
    gate.resolve();
    expect(await first).toEqual(await second);
    expect(client.requests).toHaveLength(1);
  });

  it("stop() aborts the pass in flight and leaves no timer", async () => {
    const { sync, client, timers, mirror } = harness({ entries: [sampleEntry("io.example/a")] });
    client.gate = new Promise(() => undefined);
    sync.start();
    const pass = sync.syncNow();
    await sync.stop();
    await expect(pass).rejects.toThrow(/stopped/);
    expect(client.signals.every((signal) => signal.aborted)).toBe(true);
    expect(timers.count).toBe(0);
    expect(await mirror.getSyncState("reg")).toBeNull();
  });

  it("fetchOne mirrors a name the mirror lacks, and surfaces an outage", async () => {
    const { sync, client, mirror } = harness();
    client.put(sampleEntry("io.example/late", "1.0.0"), sampleEntry("io.example/late", "1.2.0"));
    const signal = new AbortController().signal;
    expect(await sync.fetchOne("io.example/late", "latest", signal)).toMatchObject({
      version: "1.2.0",
      connectorId: "mcp::reg::io.example/late",
      isLatest: true,
    });
    expect(await mirror.getLatest("reg", "io.example/late")).toMatchObject({ version: "1.2.0" });
    expect(await sync.fetchOne("io.example/missing", "latest", signal)).toBeNull();

    client.failure = new RegistryError("connect ECONNREFUSED", { kind: "connection" });
    await expect(sync.fetchOne("io.example/other", "1.0.0", signal)).rejects.toThrow(RegistryError);
  });

  it("fetchOne remembers an outage for failureCacheMs: a burst fails at once, saying when it asks again", async () => {
    const { create, client, clock } = harness();
    const sync = create({ failureCacheMs: 10_000 });
    client.put(sampleEntry("io.example/late", "1.0.0"));
    const signal = new AbortController().signal;
    client.failure = new RegistryError("connect ECONNREFUSED", { kind: "connection" });
    const first = await sync
      .fetchOne("io.example/a", "latest", signal)
      .catch((error: unknown) => error);
    expect(first).toMatchObject({ kind: "connection", retryAt: clock.now.getTime() + 10_000 });
    for (const name of ["io.example/b", "io.example/c", "io.example/late"]) {
      await expect(sync.fetchOne(name, "latest", signal)).rejects.toBe(first);
    }
    expect(client.getVersionCalls).toBe(1);
    expect((first as RegistryError).retryAfterSeconds(clock.now.getTime() + 2_500)).toBe(8);

    client.failure = null;
    clock.now = new Date(clock.now.getTime() + 10_000);
    expect(await sync.fetchOne("io.example/late", "latest", signal)).toMatchObject({
      version: "1.0.0",
    });
    expect(client.getVersionCalls).toBe(2);
  });

  it("fetchOne remembers only outages, and nothing with failureCacheMs 0", async () => {
    const { create, client } = harness();
    const signal = new AbortController().signal;
    const sync = create({ failureCacheMs: 10_000 });
    client.failure = new RegistryError("bad entry", { kind: "http", status: 400 });
    await expect(sync.fetchOne("io.example/a", "latest", signal)).rejects.toMatchObject({
      retryAt: null,
    });
    await expect(sync.fetchOne("io.example/a", "latest", signal)).rejects.toThrow("bad entry");
    expect(client.getVersionCalls).toBe(2);

    const forgetful = create({ failureCacheMs: 0 });
    client.failure = new RegistryError("HTTP 503", { kind: "http", status: 503 });
    await expect(forgetful.fetchOne("io.example/a", "latest", signal)).rejects.toMatchObject({
      retryAt: null,
    });
    await expect(forgetful.fetchOne("io.example/a", "latest", signal)).rejects.toThrow("HTTP 503");
    expect(client.getVersionCalls).toBe(4);
  });

  it("a successful sync pass forgets a remembered outage", async () => {
    const { create, client } = harness();
    const signal = new AbortController().signal;
    const sync = create({ failureCacheMs: 60_000 });
    client.failure = new RegistryError("timed out", { kind: "timeout" });
    await expect(sync.fetchOne("io.example/a", "latest", signal)).rejects.toThrow("timed out");
    client.failure = null;
    await sync.syncNow();
    expect(await sync.fetchOne("io.example/a", "latest", signal)).toBeNull();
    expect(client.getVersionCalls).toBe(2);
  });
});
