import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { sampleRecord } from "../../test/contract/sample-stored-responses.js";
import { temporarySqlite } from "../../test/support/temporary-sqlite.js";
import { InProcessClusterLocks } from "../store/cluster-locks.js";
import { SqliteResponseStore } from "../store/sqlite/sqlite-response-store.js";
import { RetentionSweeper } from "./retention-sweeper.js";

const { open } = temporarySqlite();
const logger = pino({ level: "silent" });
const NOW_S = 1_800_000_000;
const DAY_S = 86_400;

async function storeWith(ages: number[]) {
  const responses = new SqliteResponseStore(open());
  const records = ages.map((days) => sampleRecord(1, { created_at: NOW_S - days * DAY_S - 1 }));
  for (const record of records) await responses.save(record);
  return { responses, records };
}

describe("RetentionSweeper", () => {
  it("deletes every response older than retention_days in batches, and keeps the rest", async () => {
    const { responses, records } = await storeWith([40, 31, 30.5, 35, 45, 29, 1, 0]);
    const sweeper = new RetentionSweeper({
      retentionDays: 30,
      responses,
      locks: new InProcessClusterLocks(),
      logger,
      batchSize: 2,
      now: () => NOW_S * 1000,
    });
    expect(await sweeper.sweep()).toBe(5);
    const kept = await Promise.all(records.map((record) => responses.get(record.response.id)));
    expect(kept.map((record) => record !== null)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
    expect(await sweeper.sweep()).toBe(0);
  });

  it("leaves the round to the replica holding the retention lock", async () => {
    const { responses, records } = await storeWith([90]);
    const locks = new InProcessClusterLocks();
    const sweeper = new RetentionSweeper({
      retentionDays: 1,
      responses,
      locks,
      logger,
      now: () => NOW_S * 1000,
    });
    let release = (): void => undefined;
    const held = locks.hold(
      "retention",
      () => new Promise<void>((resolve) => (release = resolve)),
      new AbortController().signal,
    );
    expect(await sweeper.sweep()).toBe(0);
    expect(await responses.get(records[0]!.response.id)).not.toBeNull();
    release();
    await held;
    expect(await sweeper.sweep()).toBe(1);
  });
});
