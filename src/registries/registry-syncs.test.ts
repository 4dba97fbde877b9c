import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { sampleEntry, sampleRegistryConfig } from "../../test/contract/sample-registry-entries.js";
import { InMemoryRegistryClient } from "../../test/support/in-memory-registry-client.js";
import { ManualTimers } from "../../test/support/manual-timers.js";
import { openSqliteDatabase, type SqliteDatabase } from "../store/sqlite/open-sqlite-database.js";
import { SqliteRegistryMirror } from "../store/sqlite/sqlite-registry-mirror.js";
import { RegistrySyncs } from "./registry-syncs.js";

const openDatabases: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of openDatabases.splice(0)) db.close();
});

const registry = (id: string) => sampleRegistryConfig(id);

function setUp() {
  const db = openSqliteDatabase(":memory:");
  openDatabases.push(db);
  const mirror = new SqliteRegistryMirror(db);
  const timers = new ManualTimers();
  const clients = new Map<string, InMemoryRegistryClient>();
  const syncs = new RegistrySyncs({
    registries: [registry("one"), registry("two")],
    createClient: (config) => {
      const client = new InMemoryRegistryClient([sampleEntry(`io.${config.id}/server`)]);
      clients.set(config.id, client);
      return client;
    },
    mirror,
    logger: pino({ level: "silent" }),
    setTimer: timers.setTimer,
    clearTimer: timers.clearTimer,
  });
  return { syncs, mirror, timers, clients };
}

describe("RegistrySyncs", () => {
  it("holds one sync per registry and starts them all", async () => {
    const { syncs, mirror, timers } = setUp();
    expect(syncs.list().map((sync) => sync.registry.id)).toEqual(["one", "two"]);
    expect(syncs.get("missing")).toBeUndefined();
    syncs.startAll();
    await Promise.all(syncs.list().map((sync) => sync.syncNow()));
    expect(await mirror.getLatest("one", "io.one/server")).not.toBeNull();
    expect(await mirror.getLatest("two", "io.two/server")).not.toBeNull();
    expect(timers.count).toBe(2);
    await syncs.stopAll();
    expect(timers.count).toBe(0);
  });

  it("starts a registry added at runtime and refuses a duplicate id", async () => {
    const { syncs, mirror } = setUp();
    syncs.startAll();
    const added = syncs.add(registry("three"));
    await added.syncNow();
    expect(await mirror.getLatest("three", "io.three/server")).not.toBeNull();
    expect(() => syncs.add(registry("three"))).toThrow(/already configured/);
    await syncs.stopAll();
  });

  it("replaces a registry keeping its mirror, and removes one with its mirror", async () => {
    const { syncs, mirror } = setUp();
    await syncs.get("one")?.syncNow();
    const replaced = await syncs.replace({ ...registry("one"), syncIntervalS: 5 });
    expect(syncs.get("one")).toBe(replaced);
    expect(await mirror.counts("one")).toEqual({ servers: 1, versions: 1 });

    expect(await syncs.remove("one")).toBe(true);
    expect(await syncs.remove("one")).toBe(false);
    expect(syncs.get("one")).toBeUndefined();
    expect(await mirror.counts("one")).toEqual({ servers: 0, versions: 0 });
    expect(await mirror.getSyncState("one")).toBeNull();
  });
});
