/**
 * The behaviour every `ResponseStore` adapter must show (PRODUCT.md §2 "Storage"; input_items paging
 * per reference openai-responses-mcp.md §4.3). SQLite runs it now and PostgreSQL will run the same
 * suite, so it speaks only through the port: no SQL, no files.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConversationItem } from "../../src/responses/response-types.js";
import type {
  ListItemsQuery,
  ResponseStore,
  StoredResponse,
} from "../../src/store/response-store.js";
import {
  assistantMessage,
  newId,
  richRecord,
  sampleItems,
  sampleRecord,
} from "./sample-stored-responses.js";

/** A store under test plus what the suite needs to reopen its data and clean up after it. */
export interface ResponseStoreUnderTest {
  store: ResponseStore;
  /** Opaque name of the backing data (a file path, a schema); passed back to open it again. */
  location: string;
  /** Closes the store (if still open) and removes the data when this handle created it. */
  cleanup(): Promise<void>;
}

/** Without `location`: fresh, empty data. With one: a new store on existing data. */
export type ResponseStoreFactory = (location?: string) => Promise<ResponseStoreUnderTest>;

export interface ResponseStoreContractOptions {
  /** Whether the factory can reopen a `location` (false for private in-memory stores). */
  reopen?: boolean;
}

/** Declares the contract suite for one adapter; call it at the top level of a `.test.ts` file. */
export function describeResponseStoreContract(
  name: string,
  makeStore: ResponseStoreFactory,
  options: ResponseStoreContractOptions = {},
): void {
  describe(`ResponseStore contract: ${name}`, () => {
    let subject: ResponseStoreUnderTest;
    let store: ResponseStore;

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    /** Lists a page and reduces it to item ids, so expectations read like the paging spec. */
    const page = async (
      responseId: string,
      query: ListItemsQuery,
    ): Promise<{ ids: string[]; hasMore: boolean } | null> => {
      const result = await store.listInputItems(responseId, query);
      return result && { ids: ids(result.data), hasMore: result.hasMore };
    };
    const empty = { ids: [], hasMore: false };

    it("returns a saved response and its input items unchanged, in request order", async () => {
      const record = richRecord();
      await store.save(record);
      expect(await store.get(record.response.id)).toEqual(record);
    });

    it("replaces status, output and input items when a response is saved again", async () => {
      const first = sampleRecord(3, { status: "in_progress" });
      await store.save(first);
      const second: StoredResponse = {
        ...first,
        response: { ...first.response, status: "completed", output: [assistantMessage("done")] },
        inputItems: sampleItems(2, "replacement"),
      };
      await store.save(second);

      const id = first.response.id;
      expect(await store.get(id)).toEqual(second);
      expect(await page(id, { limit: 100, order: "asc" })).toEqual({
        ids: ids(second.inputItems),
        hasMore: false,
      });
      const droppedId = ids(first.inputItems)[0];
      expect(await page(id, { limit: 10, order: "asc", after: droppedId })).toEqual(empty);
    });

    it("updates a response only while it exists: a deleted one is not brought back", async () => {
      const first = sampleRecord(2, { status: "in_progress" });
      await store.save(first);
      const done: StoredResponse = {
        ...first,
        response: { ...first.response, status: "completed", output: [assistantMessage("done")] },
      };
      expect(await store.update(done)).toBe(true);
      expect(await store.get(first.response.id)).toEqual(done);

      expect(await store.delete(first.response.id)).toBe(true);
      expect(await store.update(done)).toBe(false);
      expect(await store.get(first.response.id)).toBeNull();
      expect(await page(first.response.id, { limit: 20, order: "asc" })).toBeNull();
    });

    it("returns null for an unknown response", async () => {
      expect(await store.get(newId("resp"))).toBeNull();
      expect(await page(newId("resp"), { limit: 20, order: "desc" })).toBeNull();
    });

    it("deletes a response with its items and reports that it existed", async () => {
      const record = sampleRecord(3);
      await store.save(record);
      expect(await store.delete(record.response.id)).toBe(true);
      expect(await store.get(record.response.id)).toBeNull();
      expect(await page(record.response.id, { limit: 20, order: "asc" })).toBeNull();
      expect(await store.delete(record.response.id)).toBe(false);
    });

    it("deletes responses created before a cutoff, oldest first, in batches, with their items", async () => {
      const old = [3, 1, 2].map((second) =>
        sampleRecord(2, { created_at: 1_700_000_000 + second }),
      );
      const recent = sampleRecord(2, { created_at: 1_800_000_000 });
      const boundary = sampleRecord(1, { created_at: 1_750_000_000 });
      for (const record of [...old, recent, boundary]) await store.save(record);
      expect(await store.deleteCreatedBefore(1_750_000_000, 2)).toBe(2);
      // The two oldest went first.
      expect(await store.get(old[1]!.response.id)).toBeNull();
      expect(await store.get(old[2]!.response.id)).toBeNull();
      expect(await page(old[1]!.response.id, { limit: 20, order: "asc" })).toBeNull();
      expect(await store.get(old[0]!.response.id)).not.toBeNull();
      expect(await store.deleteCreatedBefore(1_750_000_000, 2)).toBe(1);
      expect(await store.deleteCreatedBefore(1_750_000_000, 2)).toBe(0);
      expect(await store.get(old[0]!.response.id)).toBeNull();
      expect(await store.get(boundary.response.id)).not.toBeNull();
      expect((await page(recent.response.id, { limit: 20, order: "asc" }))?.ids).toHaveLength(2);
    });

    it("reports false when deleting an unknown response", async () => {
      expect(await store.delete(newId("resp"))).toBe(false);
    });

    it("pages input items in ascending order with limit and after", async () => {
      const record = sampleRecord(5);
      await store.save(record);
      const [one, two, three, four, five] = ids(record.inputItems);
      const id = record.response.id;

      expect(await page(id, { limit: 2, order: "asc" })).toEqual({
        ids: [one, two],
        hasMore: true,
      });
      expect(await page(id, { limit: 2, order: "asc", after: two })).toEqual({
        ids: [three, four],
        hasMore: true,
      });
      expect(await page(id, { limit: 2, order: "asc", after: four })).toEqual({
        ids: [five],
        hasMore: false,
      });
      expect(await page(id, { limit: 2, order: "asc", after: five })).toEqual(empty);
    });

    it("pages input items in descending order with limit and after", async () => {
      const record = sampleRecord(5);
      await store.save(record);
      const [one, two, three, four, five] = ids(record.inputItems);
      const id = record.response.id;

      expect(await page(id, { limit: 2, order: "desc" })).toEqual({
        ids: [five, four],
        hasMore: true,
      });
      expect(await page(id, { limit: 2, order: "desc", after: four })).toEqual({
        ids: [three, two],
        hasMore: true,
      });
      expect(await page(id, { limit: 2, order: "desc", after: two })).toEqual({
        ids: [one],
        hasMore: false,
      });
      expect(await page(id, { limit: 2, order: "desc", after: one })).toEqual(empty);
    });

    it("reports no more items only when nothing is left after the page", async () => {
      const record = sampleRecord(100);
      await store.save(record);
      const all = ids(record.inputItems);
      expect(await page(record.response.id, { limit: 100, order: "asc" })).toEqual({
        ids: all,
        hasMore: false,
      });
      expect(await page(record.response.id, { limit: 99, order: "desc" })).toEqual({
        ids: all.slice(1).reverse(),
        hasMore: true,
      });
    });

    it("lists an empty page for a response saved without input items", async () => {
      const record = sampleRecord(0);
      await store.save(record);
      expect(await page(record.response.id, { limit: 20, order: "asc" })).toEqual(empty);
    });

    it("returns an empty last page for an unknown after id", async () => {
      const record = sampleRecord(3);
      await store.save(record);
      const after = newId("msg");
      expect(await page(record.response.id, { limit: 20, order: "asc", after })).toEqual(empty);
      expect(await page(record.response.id, { limit: 20, order: "desc", after })).toEqual(empty);
    });

    it("rejects a limit outside 1 to 100", async () => {
      const record = sampleRecord(1);
      await store.save(record);
      for (const limit of [0, 101, 1.5]) {
        await expect(
          store.listInputItems(record.response.id, { limit, order: "asc" }),
        ).rejects.toThrow(RangeError);
      }
    });

    it("keeps the items of different responses apart", async () => {
      const first = sampleRecord(3);
      const second = sampleRecord(4);
      await store.save(first);
      await store.save(second);

      expect(await page(first.response.id, { limit: 100, order: "asc" })).toEqual({
        ids: ids(first.inputItems),
        hasMore: false,
      });
      const foreignAfter = ids(second.inputItems)[0];
      expect(
        await page(first.response.id, { limit: 100, order: "asc", after: foreignAfter }),
      ).toEqual(empty);

      await store.delete(first.response.id);
      expect(await store.get(second.response.id)).toEqual(second);
    });

    it("takes ids and item ids holding U+0000 without failing", async () => {
      expect(await store.get("resp_\u0000")).toBeNull();
      expect(await page("resp_\u0000", { limit: 5, order: "asc" })).toBeNull();
      const record = sampleRecord(2);
      const [first, second] = record.inputItems as [ConversationItem, ConversationItem];
      const odd = { ...record, inputItems: [{ ...first, id: "msg_\u0000" }, second] };
      await store.save(odd);
      expect(await store.get(record.response.id)).toEqual(odd);
      expect(
        await page(record.response.id, { limit: 5, order: "asc", after: "msg_\u0000" }),
      ).toEqual({ ids: [second.id], hasMore: false });
    });

    it("keeps the owner a response was saved with, a key and an end user or neither", async () => {
      const mine = sampleRecord(1, {}, { key: "app", user: "ada" });
      const local = sampleRecord(1);
      await store.save(mine);
      await store.save(local);
      expect((await store.get(mine.response.id))?.owner).toEqual({ key: "app", user: "ada" });
      expect((await store.get(local.response.id))?.owner).toEqual({ key: null, user: null });
    });

    it("reads a previous_response_id chain newest first, stopping at a missing link", async () => {
      const first = sampleRecord(1);
      const second = sampleRecord(2, { previous_response_id: first.response.id });
      const third = sampleRecord(1, { previous_response_id: second.response.id });
      for (const record of [first, second, third]) await store.save(record);
      expect(await store.getChain(third.response.id)).toEqual([third, second, first]);
      expect(await store.getChain(first.response.id)).toEqual([first]);
      expect(await store.getChain(newId("resp"))).toEqual([]);

      await store.delete(first.response.id);
      const broken = await store.getChain(third.response.id);
      expect(broken).toEqual([third, second]);
      expect(broken.at(-1)?.response.previous_response_id).toBe(first.response.id);
    });

    it("lists responses newest first by created_at then creation order, paged with after", async () => {
      const records = [3, 1, 2, 2].map((offset, index) =>
        sampleRecord(index % 2, {
          created_at: 1_800_000_000 + offset,
          id: `resp_list_${9 - index}`,
        }),
      );
      for (const record of records) await store.save(record);
      const listed = async (query: Parameters<ResponseStore["list"]>[0]) => {
        const result = await store.list(query);
        return { ids: result.data.map((record) => record.response.id), hasMore: result.hasMore };
      };
      // resp_list_7 and _6 share a second: the one saved later (_6) is the newer, whatever the ids.
      const newestFirst = ["resp_list_9", "resp_list_6", "resp_list_7", "resp_list_8"];
      expect(await listed({ limit: 100, order: "desc" })).toEqual({
        ids: newestFirst,
        hasMore: false,
      });
      expect(await listed({ limit: 2, order: "desc" })).toEqual({
        ids: newestFirst.slice(0, 2),
        hasMore: true,
      });
      expect(await listed({ limit: 2, order: "desc", after: "resp_list_6" })).toEqual({
        ids: newestFirst.slice(2),
        hasMore: false,
      });
      expect(await listed({ limit: 3, order: "asc", after: "resp_list_7" })).toEqual({
        ids: ["resp_list_6", "resp_list_9"],
        hasMore: false,
      });
      expect(await listed({ limit: 5, order: "asc", after: newId("resp") })).toEqual({
        ids: [],
        hasMore: false,
      });
      const page = await store.list({ limit: 1, order: "desc" });
      expect(page.data).toEqual([records[0]]);
    });

    it("lists only one owner's responses, and only one model's, when asked", async () => {
      const ada = { key: "app", user: "ada" };
      const bob = { key: "app", user: "bob" };
      const keyOnly = { key: "app", user: null };
      const records = [
        sampleRecord(0, { model: "m1" }, ada),
        sampleRecord(0, { model: "m2" }, ada),
        sampleRecord(0, { model: "m1" }, bob),
        sampleRecord(0, { model: "m1" }, keyOnly),
      ];
      for (const record of records) await store.save(record);
      const ids = async (query: Omit<Parameters<ResponseStore["list"]>[0], "limit" | "order">) =>
        (await store.list({ limit: 100, order: "asc", ...query })).data
          .map((record) => record.response.id)
          .sort();
      const idsOf = (...picked: StoredResponse[]) => picked.map((r) => r.response.id).sort();
      const [adaM1, adaM2, bobM1, keyM1] = records as [
        StoredResponse,
        StoredResponse,
        StoredResponse,
        StoredResponse,
      ];
      expect(await ids({ owner: ada })).toEqual(idsOf(adaM1, adaM2));
      expect(await ids({ owner: keyOnly })).toEqual(idsOf(keyM1));
      expect(await ids({ owner: { key: null, user: null } })).toEqual([]);
      expect(await ids({ model: "m1" })).toEqual(idsOf(adaM1, bobM1, keyM1));
      expect(await ids({ owner: ada, model: "m1" })).toEqual(idsOf(adaM1));
      expect(await ids({})).toEqual(idsOf(adaM1, adaM2, bobM1, keyM1));
    });

    it("rejects a listing limit outside 1 to 100", async () => {
      await expect(store.list({ limit: 0, order: "asc" })).rejects.toThrow(RangeError);
      await expect(store.list({ limit: 101, order: "asc" })).rejects.toThrow(RangeError);
    });

    it("answers ping", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it("tolerates close being called twice", async () => {
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
    });

    it("stores 200 responses saved concurrently", async () => {
      const records = Array.from({ length: 200 }, (_, index) => sampleRecord(index % 4));
      await Promise.all(records.map((record) => store.save(record)));
      const loaded = await Promise.all(records.map((record) => store.get(record.response.id)));
      expect(loaded).toEqual(records);
    });

    // Declared only where the factory can reopen data, so no test reports as skipped.
    if (options.reopen ?? true) {
      it("keeps its data across a close and reopen", async () => {
        const record = richRecord();
        await store.save(record);
        await store.close();
        const reopened = await makeStore(subject.location);
        try {
          expect(await reopened.store.get(record.response.id)).toEqual(record);
          const last = await reopened.store.listInputItems(record.response.id, {
            limit: 1,
            order: "desc",
          });
          expect(ids(last?.data)).toEqual(ids(record.inputItems).slice(-1));
        } finally {
          await reopened.cleanup();
        }
      });
    }
  });
}

function ids(items: ConversationItem[] | undefined): string[] {
  return (items ?? []).map((item) => item.id);
}
