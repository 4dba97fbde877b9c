import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { sampleRecord } from "../../../test/contract/sample-stored-responses.js";
import { openSqliteDatabase } from "../../store/sqlite/open-sqlite-database.js";
import { SqliteBackgroundRunStore } from "../../store/sqlite/sqlite-background-run-store.js";
import { SqliteResponseStore } from "../../store/sqlite/sqlite-response-store.js";
import type { ResponseEvent } from "../response-events.js";
import { EventLog, MAX_BACKLOG } from "./event-log.js";

/** The SQLite adapter with writes that wait until the test opens the gate. */
class GatedRuns extends SqliteBackgroundRunStore {
  writes: number[] = [];
  #open = (): void => undefined;
  #gate = new Promise<void>((resolve) => {
    this.#open = resolve;
  });

  open(): void {
    this.#open();
  }

  override async appendEvents(responseId: string, events: readonly ResponseEvent[]) {
    await this.#gate;
    this.writes.push(events.length);
    return super.appendEvents(responseId, events);
  }
}

const delta = (sequenceNumber: number): ResponseEvent => ({
  type: "response.output_text.delta",
  item_id: "msg_1",
  output_index: 0,
  content_index: 0,
  delta: "x",
  logprobs: [],
  sequence_number: sequenceNumber,
});

async function setUp() {
  const database = openSqliteDatabase(":memory:");
  const record = sampleRecord(0, { background: true });
  await new SqliteResponseStore(database).save(record);
  const runs = new GatedRuns(database);
  let wakeups = 0;
  const log = new EventLog(record.response.id, {
    runs,
    logger: pino({ level: "silent" }),
    onStored: () => wakeups++,
  });
  return { runs, log, id: record.response.id, wakeups: () => wakeups };
}

describe("EventLog", () => {
  it("gathers events while a write is under way and stores them in order", async () => {
    const { runs, log, id, wakeups } = await setUp();
    for (let sequence = 0; sequence < 10; sequence++) await log.append(delta(sequence));
    runs.open();
    await log.drain();
    expect(runs.writes).toEqual([1, 9]);
    expect(wakeups()).toBe(2);
    const stored = await runs.readEvents(id, -1, 100);
    expect(stored.map((event) => event.sequence_number)).toEqual([...Array(10).keys()]);
  });

  it("makes the run wait only once MAX_BACKLOG events are unwritten", async () => {
    const { runs, log } = await setUp();
    for (let sequence = 0; sequence < MAX_BACKLOG - 1; sequence++) {
      await log.append(delta(sequence));
    }
    let appended = false;
    const full = log.append(delta(MAX_BACKLOG - 1)).then(() => {
      appended = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(appended).toBe(false);
    runs.open();
    await full;
    await log.drain();
    expect(runs.writes.reduce((sum, count) => sum + count, 0)).toBe(MAX_BACKLOG);
  });

  it("stores nothing more once closed", async () => {
    const { runs, log, id } = await setUp();
    await log.append(delta(0));
    await log.append(delta(1));
    log.close();
    await log.append(delta(2));
    runs.open();
    await log.drain();
    expect((await runs.readEvents(id, -1, 100)).map((event) => event.sequence_number)).toEqual([0]);
  });
});
