import { describe, expect, it } from "vitest";
import { sampleRecord } from "../../../test/contract/sample-stored-responses.js";
import { openSqliteDatabase } from "../../store/sqlite/open-sqlite-database.js";
import { SqliteBackgroundRunStore } from "../../store/sqlite/sqlite-background-run-store.js";
import { SqliteResponseStore } from "../../store/sqlite/sqlite-response-store.js";
import type { ResponseEvent } from "../response-events.js";
import { followEvents } from "./follow-events.js";
import { RunWakeups } from "./run-wakeups.js";

async function runningResponse() {
  const database = openSqliteDatabase(":memory:");
  const record = sampleRecord(0, { background: true, status: "in_progress" });
  await new SqliteResponseStore(database).save(record);
  const runs = new SqliteBackgroundRunStore(database);
  await runs.startRun(record.response.id, "runner", 60_000);
  const wakeups = new RunWakeups();
  // A long poll: only a wakeup, an abort or the end of the run moves a follower on.
  const deps = { runs, wakeups, pollMs: 60_000 };
  return { id: record.response.id, runs, wakeups, deps };
}

const created = (sequenceNumber: number): ResponseEvent => ({
  type: "response.created",
  response: { ...sampleRecord(0).response, status: "queued" },
  sequence_number: sequenceNumber,
});

describe("followEvents", () => {
  it("follows a silent run until woken, and stops at once when its reader goes away", async () => {
    const { id, runs, wakeups, deps } = await runningResponse();
    const reader = new AbortController();
    const events = followEvents(id, -1, deps, reader.signal);
    const first = events.next();
    await runs.appendEvents(id, [created(0)]);
    wakeups.wake(id);
    expect((await first).value).toMatchObject({ sequence_number: 0 });
    const second = events.next();
    reader.abort();
    expect(await second).toEqual({ done: true, value: undefined });
  });

  it("ends once the run is over and every stored event was read", async () => {
    const { id, runs, wakeups, deps } = await runningResponse();
    const events = followEvents(id, -1, deps, new AbortController().signal);
    const first = events.next();
    await runs.appendEvents(id, [created(0), created(1)]);
    await runs.finishRun(id, "runner");
    wakeups.wake(id);
    expect((await first).value).toMatchObject({ sequence_number: 0 });
    expect((await events.next()).value).toMatchObject({ sequence_number: 1 });
    expect((await events.next()).done).toBe(true);
  });
});
