/**
 * Replicas on one schema hear each other's managed writes (issue 13 §2, ADR 0029): by NOTIFY when
 * they listen, by reconciling when they did not, and again after their listening connection was
 * terminated. And the cluster lock: one holder at a time, taken over when the holder's connection
 * dies.
 */
import { EventEmitter } from "node:events";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import {
  sampleConnectorConfig,
  sampleRegistryConfig,
} from "../../../test/contract/sample-managed-values.js";
import { postgresTestDatabase } from "../../../test/support/postgres.js";
import { waitForChange } from "../../../test/support/wait-for-change.js";
import type { ManagedChange } from "../change-feed.js";
import type { Stores } from "../stores.js";
import { describeBackend, toDedicatedConnectionConfig } from "./open-postgres-database.js";
import { openPostgresDatabase } from "./open-postgres-database.js";
import { openPostgresStores } from "./open-postgres-stores.js";
import { PostgresChangeFeed } from "./postgres-change-feed.js";
import { PostgresClusterLocks } from "./postgres-cluster-locks.js";

const postgres = postgresTestDatabase();
const logger = pino({ level: "silent" });
const opened: Stores[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((stores) => stores.close()));
});

async function replica(schema: string): Promise<Stores> {
  const stores = await openPostgresStores(postgres.backend({ schema }), { logger });
  opened.push(stores);
  return stores;
}

/** Every change a replica hears, and a way to wait for one. */
function heard(stores: Stores) {
  const changes: ManagedChange[] = [];
  const events = new EventEmitter();
  stores.changes.subscribe((change) => {
    changes.push(change);
    events.emit("change");
  });
  const waitFor = (kind: ManagedChange["kind"], id: string) =>
    waitForChange(events, "change", () =>
      changes.some((change) => change.kind === kind && change.id === id),
    );
  return { changes, waitFor };
}

const connector = (id: string) => sampleConnectorConfig(id, 1);

describe.skipIf(postgres.skipReason !== null)("PostgreSQL change feed", () => {
  it("announces a create, patch and delete on one replica to another, once the write returns", async () => {
    const schema = postgres.freshSchema();
    const writer = await replica(schema);
    const reader = heard(await replica(schema));
    await writer.managedConnectors.create("feed-a", connector("feed-a"));
    await reader.waitFor("connector", "feed-a");
    await writer.managedConnectors.update("feed-a", sampleConnectorConfig("feed-a", 2));
    await writer.managedConnectors.delete("feed-a");
    await writer.managedRegistries.create("reg-a", sampleRegistryConfig("reg-a", 1));
    await reader.waitFor("registry", "reg-a");
    // Notices arrive in commit order: the registry's came after the connector's three.
    expect(reader.changes.filter((change) => change.id === "feed-a")).toHaveLength(3);
  });

  it("does not announce a write to another schema's replicas", async () => {
    const schema = postgres.freshSchema();
    const mine = heard(await replica(schema));
    const sameSchema = await replica(schema);
    const otherSchema = await replica(postgres.freshSchema());
    await otherSchema.managedConnectors.create("elsewhere", connector("elsewhere"));
    await sameSchema.managedConnectors.create("here", connector("here"));
    await mine.waitFor("connector", "here");
    expect(mine.changes).toEqual([{ kind: "connector", id: "here" }]);
  });

  it("still hears of a change made while its listening connection was terminated", async () => {
    const schema = postgres.freshSchema();
    const writer = await replica(schema);
    const reader = heard(await replica(schema));
    expect(await postgres.terminatePatchbayConnections()).toBeGreaterThan(0);
    await writer.managedConnectors.create("after-outage", connector("after-outage"));
    await reader.waitFor("connector", "after-outage");
  });

  it("reconciles a write that sent no notice (a row changed behind its back)", async () => {
    const backend = postgres.backend();
    const writer = await openPostgresStores(backend, { logger });
    opened.push(writer);
    await writer.managedConnectors.create("quiet", connector("quiet"));
    await writer.managedConnectors.create("removed", connector("removed"));
    const database = await openPostgresDatabase(backend, { logger });
    const feed = new PostgresChangeFeed({
      target: { config: toDedicatedConnectionConfig(backend), description: "test" },
      database,
      schema: backend.schema,
      logger,
      reconcileIntervalMs: 3_600_000,
    });
    try {
      await feed.start();
      const changes: ManagedChange[] = [];
      feed.subscribe((change) => changes.push(change));
      await postgres.query(
        `UPDATE "${backend.schema}".managed_connectors SET revision = revision + 1 WHERE id = 'quiet'`,
      );
      await postgres.query(
        `DELETE FROM "${backend.schema}".managed_connectors WHERE id = 'removed'`,
      );
      await postgres.query(
        `INSERT INTO "${backend.schema}".managed_registries (id, body, revision, created_at, updated_at)
         VALUES ('new', $1::json, 1, now(), now())`,
        [JSON.stringify(sampleRegistryConfig("new", 1))],
      );
      await feed.reconcile();
      expect(changes).toEqual([
        { kind: "connector", id: "quiet" },
        { kind: "registry", id: "new" },
        { kind: "connector", id: "removed" },
      ]);
      changes.length = 0;
      await feed.reconcile();
      expect(changes).toEqual([]);
    } finally {
      await feed.close();
      await database.close();
    }
  });
});

describe.skipIf(postgres.skipReason !== null)("PostgreSQL cluster locks", () => {
  const locks = () => {
    const backend = postgres.backend();
    return new PostgresClusterLocks(
      { config: toDedicatedConnectionConfig(backend), description: describeBackend(backend) },
      "locks-test",
    );
  };

  it("lets one holder in at a time, and the next once it is done", async () => {
    const first = locks();
    const second = locks();
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const holding = first.hold(
      "job",
      async () => {
        entered();
        await released;
        return "first";
      },
      new AbortController().signal,
    );
    await inside;
    expect(await second.tryHold("job", () => Promise.resolve("second"))).toEqual({ held: false });
    expect(await second.tryHold("other-job", () => Promise.resolve("other"))).toEqual({
      held: true,
      value: "other",
    });
    const waiting = second.hold(
      "job",
      () => Promise.resolve("second"),
      new AbortController().signal,
    );
    release();
    expect(await holding).toBe("first");
    expect(await waiting).toBe("second");
  });

  it("passes the lock to a waiter when the holder's connection dies, and tells the holder", async () => {
    const first = locks();
    const second = locks();
    let entered!: (lost: AbortSignal) => void;
    const inside = new Promise<AbortSignal>((resolve) => (entered = resolve));
    const holding = first.hold(
      "crawl",
      (lost) => {
        entered(lost);
        return new Promise<string>((resolve) =>
          lost.addEventListener("abort", () => resolve("lost"), { once: true }),
        );
      },
      new AbortController().signal,
    );
    const lost = await inside;
    const waiting = second.hold(
      "crawl",
      () => Promise.resolve("taken over"),
      new AbortController().signal,
    );
    const holders = await postgres.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(holders).toHaveLength(1);
    await postgres.query(`SELECT pg_terminate_backend($1)`, [holders[0]!.pid]);
    expect(await waiting).toBe("taken over");
    expect(await holding).toBe("lost");
    expect(lost.aborted).toBe(true);
  });

  it("stops waiting when the waiter's signal aborts", async () => {
    const first = locks();
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const holding = first.hold(
      "slow",
      async () => {
        entered();
        await released;
      },
      new AbortController().signal,
    );
    await inside;
    const controller = new AbortController();
    const waiting = locks().hold("slow", () => Promise.resolve("never"), controller.signal);
    controller.abort(new Error("gave up"));
    await expect(waiting).rejects.toThrow("gave up");
    release();
    await holding;
  });
});
