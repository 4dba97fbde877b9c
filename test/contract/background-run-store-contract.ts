/**
 * The behaviour every `BackgroundRunStore` adapter must show (issue 14 §2, issue 13 §4): events
 * stored in order and replayed after any sequence number, leases held by one runner, a cancel
 * request any replica can make, and each expired run settled by exactly one caller. It speaks only
 * through the ports.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ResponseEvent } from "../../src/responses/response-events.js";
import type { BackgroundRunStore } from "../../src/store/background-run-store.js";
import type { ResponseStore } from "../../src/store/response-store.js";
import { sampleRecord } from "./sample-stored-responses.js";

export interface BackgroundRunStoreUnderTest {
  /** Responses on the same database: a run belongs to a stored response. */
  responses: ResponseStore;
  runs: BackgroundRunStore;
  cleanup(): Promise<void>;
}

function textEvents(from: number, count: number, text = "x"): ResponseEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    type: "response.output_text.delta" as const,
    item_id: "msg_1",
    output_index: 0,
    content_index: 0,
    delta: `${text}${from + index}`,
    logprobs: [],
    sequence_number: from + index,
  }));
}

export function describeBackgroundRunStoreContract(
  name: string,
  makeStore: () => Promise<BackgroundRunStoreUnderTest>,
): void {
  describe(`BackgroundRunStore contract: ${name}`, () => {
    let subject: BackgroundRunStoreUnderTest;
    let runs: BackgroundRunStore;

    beforeEach(async () => {
      subject = await makeStore();
      runs = subject.runs;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    async function storedResponseId(): Promise<string> {
      const record = sampleRecord(1, { background: true, status: "queued" });
      await subject.responses.save(record);
      return record.response.id;
    }

    it("replays events in order after any sequence number, a page at a time", async () => {
      const id = await storedResponseId();
      expect(await runs.lastSequenceNumber(id)).toBe(-1);
      expect(await runs.readEvents(id, -1, 10)).toEqual([]);
      await runs.appendEvents(id, textEvents(0, 3));
      await runs.appendEvents(id, textEvents(3, 2));
      await runs.appendEvents(id, []);
      expect(await runs.readEvents(id, -1, 100)).toEqual(textEvents(0, 5));
      expect(await runs.readEvents(id, 1, 2)).toEqual(textEvents(2, 2));
      expect(await runs.readEvents(id, 4, 10)).toEqual([]);
      expect(await runs.lastSequenceNumber(id)).toBe(4);
      expect(await runs.readEvents("resp_unknown", -1, 10)).toEqual([]);
    });

    it("returns at most a page of 100 events however many are asked for", async () => {
      const id = await storedResponseId();
      await runs.appendEvents(id, textEvents(0, 130));
      const page = await runs.readEvents(id, -1, 1000);
      expect(page.map((event) => event.sequence_number)).toEqual([...Array(100).keys()]);
    });

    it("keeps the first event stored under a sequence number", async () => {
      const id = await storedResponseId();
      await runs.appendEvents(id, textEvents(0, 2, "first"));
      await runs.appendEvents(id, textEvents(1, 2, "late"));
      expect(await runs.readEvents(id, -1, 10)).toEqual([
        ...textEvents(0, 2, "first"),
        ...textEvents(2, 1, "late"),
      ]);
    });

    it("round-trips event text as written (unicode, NUL, quotes)", async () => {
      const id = await storedResponseId();
      const events = textEvents(0, 1, 'naïve 🚀 \u0000 "q" \\ ');
      await runs.appendEvents(id, events);
      expect(await runs.readEvents(id, -1, 1)).toEqual(events);
    });

    it("deletes a response's events and run with it", async () => {
      const id = await storedResponseId();
      await runs.startRun(id, "runner-a", 60_000);
      await runs.appendEvents(id, textEvents(0, 2));
      await subject.responses.delete(id);
      expect(await runs.readEvents(id, -1, 10)).toEqual([]);
      expect(await runs.isRunning(id)).toBe(false);
      expect(await runs.renewLease(id, "runner-a", 60_000)).toBeNull();
    });

    it("renews a lease only for its runner and passes on a cancel request", async () => {
      const id = await storedResponseId();
      expect(await runs.isRunning(id)).toBe(false);
      expect(await runs.requestCancel(id)).toBe(false);
      await runs.startRun(id, "runner-a", 60_000);
      expect(await runs.isRunning(id)).toBe(true);
      expect(await runs.renewLease(id, "runner-a", 60_000)).toEqual({ cancelRequested: false });
      expect(await runs.renewLease(id, "runner-b", 60_000)).toBeNull();
      expect(await runs.requestCancel(id)).toBe(true);
      expect(await runs.requestCancel(id)).toBe(true);
      expect(await runs.renewLease(id, "runner-a", 60_000)).toEqual({ cancelRequested: true });
    });

    it("finishes a run only for its runner", async () => {
      const id = await storedResponseId();
      await runs.startRun(id, "runner-a", 60_000);
      await runs.finishRun(id, "runner-b");
      expect(await runs.isRunning(id)).toBe(true);
      await runs.finishRun(id, "runner-a");
      expect(await runs.isRunning(id)).toBe(false);
      expect(await runs.renewLease(id, "runner-a", 60_000)).toBeNull();
    });

    it("hands each expired run to one caller and leaves live ones", async () => {
      const expired = [
        await storedResponseId(),
        await storedResponseId(),
        await storedResponseId(),
      ];
      const live = await storedResponseId();
      for (const id of expired) await runs.startRun(id, "runner-dead", 0);
      await runs.startRun(live, "runner-alive", 60_000);
      const [first, second] = await Promise.all([
        runs.claimExpiredRuns("sweeper-1", 60_000, 10),
        runs.claimExpiredRuns("sweeper-2", 60_000, 10),
      ]);
      expect([...first, ...second].sort()).toEqual([...expired].sort());
      expect(await runs.claimExpiredRuns("sweeper-3", 60_000, 10)).toEqual([]);
      expect(await runs.isRunning(live)).toBe(true);
      const claimed = expired[0]!;
      const sweeper = first.includes(claimed) ? "sweeper-1" : "sweeper-2";
      // Still in progress, now the sweeper's: the dead runner has lost it.
      expect(await runs.isRunning(claimed)).toBe(true);
      expect(await runs.renewLease(claimed, "runner-dead", 60_000)).toBeNull();
      expect(await runs.renewLease(claimed, sweeper, 60_000)).toEqual({ cancelRequested: false });
      await runs.finishRun(claimed, sweeper);
      expect(await runs.isRunning(claimed)).toBe(false);
    });

    it("claims at most `limit` expired runs at a time", async () => {
      for (let index = 0; index < 3; index++) {
        await runs.startRun(await storedResponseId(), "runner-dead", 0);
      }
      expect(await runs.claimExpiredRuns("sweeper", 60_000, 2)).toHaveLength(2);
      expect(await runs.claimExpiredRuns("sweeper", 60_000, 2)).toHaveLength(1);
    });

    it("lets a run claimed by a sweeper that died be claimed again", async () => {
      const id = await storedResponseId();
      await runs.startRun(id, "runner-dead", 0);
      expect(await runs.claimExpiredRuns("sweeper-dead", 0, 10)).toEqual([id]);
      expect(await runs.claimExpiredRuns("sweeper", 60_000, 10)).toEqual([id]);
    });

    it("keeps a renewed lease from expiring", async () => {
      const id = await storedResponseId();
      await runs.startRun(id, "runner-a", 0);
      await runs.renewLease(id, "runner-a", 60_000);
      expect(await runs.claimExpiredRuns("sweeper", 60_000, 10)).toEqual([]);
    });
  });
}
