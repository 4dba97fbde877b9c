/**
 * The behaviour every `ConversationStore` adapter must show (issue 14 §1): conversations and their
 * items in order, OpenAI paging, item lookup and deletion, and appends that land whole when they
 * race. SQLite and PostgreSQL run the same suite, through the port only.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConversationItem } from "../../src/responses/response-types.js";
import type { ConversationStore, StoredConversation } from "../../src/store/conversation-store.js";
import type { ListItemsQuery } from "../../src/store/response-store.js";
import { assistantMessage, newId, richRecord, sampleItems } from "./sample-stored-responses.js";

export interface ConversationStoreUnderTest {
  store: ConversationStore;
  cleanup(): Promise<void>;
}

export type ConversationStoreFactory = () => Promise<ConversationStoreUnderTest>;

export function sampleConversation(
  overrides: Partial<StoredConversation> = {},
): StoredConversation {
  return {
    id: newId("conv"),
    createdAt: 1_760_000_000,
    metadata: { topic: "weather", ключ: "значение 🌦" },
    owner: { key: "app", user: "ada" },
    ...overrides,
  };
}

export function describeConversationStoreContract(
  name: string,
  makeStore: ConversationStoreFactory,
): void {
  describe(`ConversationStore contract: ${name}`, () => {
    let subject: ConversationStoreUnderTest;
    let store: ConversationStore;

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    const page = async (id: string, query: ListItemsQuery) => {
      const result = await store.listItems(id, query);
      return result && { ids: ids(result.data), hasMore: result.hasMore };
    };

    it("returns a created conversation and its first items unchanged, in order", async () => {
      const conversation = sampleConversation();
      const items = richRecord().inputItems;
      await store.create(conversation, items);
      expect(await store.get(conversation.id)).toEqual(conversation);
      expect(await store.allItems(conversation.id)).toEqual(items);
    });

    it("keeps a conversation without owner or items", async () => {
      const conversation = sampleConversation({ metadata: {}, owner: { key: null, user: null } });
      await store.create(conversation, []);
      expect(await store.get(conversation.id)).toEqual(conversation);
      expect(await store.allItems(conversation.id)).toEqual([]);
      expect(await page(conversation.id, { limit: 20, order: "desc" })).toEqual({
        ids: [],
        hasMore: false,
      });
    });

    it("answers null or undefined for an unknown conversation", async () => {
      const id = newId("conv");
      expect(await store.get(id)).toBeNull();
      expect(await store.allItems(id)).toBeNull();
      expect(await store.listItems(id, { limit: 20, order: "asc" })).toBeNull();
      expect(await store.getItem(id, newId("msg"))).toBeUndefined();
      expect(await store.deleteItem(id, newId("msg"))).toBeUndefined();
      expect(await store.appendItems(id, sampleItems(1))).toBe(false);
      expect(await store.updateMetadata(id, {})).toBeNull();
      expect(await store.delete(id)).toBe(false);
    });

    it("replaces the metadata", async () => {
      const conversation = sampleConversation();
      await store.create(conversation, []);
      const updated = await store.updateMetadata(conversation.id, { stage: "2" });
      expect(updated).toEqual({ ...conversation, metadata: { stage: "2" } });
      expect(await store.get(conversation.id)).toEqual(updated);
    });

    it("appends after the existing items and pages them both ways", async () => {
      const conversation = sampleConversation();
      const first = sampleItems(2, "first");
      const second = [...sampleItems(2, "second"), assistantMessage("answer")];
      await store.create(conversation, first);
      expect(await store.appendItems(conversation.id, second)).toBe(true);
      const all = ids([...first, ...second]);
      expect(ids((await store.allItems(conversation.id)) ?? [])).toEqual(all);
      expect(await page(conversation.id, { limit: 2, order: "asc" })).toEqual({
        ids: all.slice(0, 2),
        hasMore: true,
      });
      expect(await page(conversation.id, { limit: 2, order: "asc", after: all[1] })).toEqual({
        ids: all.slice(2, 4),
        hasMore: true,
      });
      expect(await page(conversation.id, { limit: 3, order: "desc" })).toEqual({
        ids: all.slice(2).reverse(),
        hasMore: true,
      });
      expect(await page(conversation.id, { limit: 3, order: "desc", after: all[2] })).toEqual({
        ids: all.slice(0, 2).reverse(),
        hasMore: false,
      });
      expect(await page(conversation.id, { limit: 3, order: "desc", after: newId("msg") })).toEqual(
        { ids: [], hasMore: false },
      );
    });

    it("gets and deletes an item by id, leaving the others in order", async () => {
      const conversation = sampleConversation();
      const items = sampleItems(3);
      const [one, two, three] = items as [ConversationItem, ConversationItem, ConversationItem];
      await store.create(conversation, items);
      expect(await store.getItem(conversation.id, two.id)).toEqual(two);
      expect(await store.getItem(conversation.id, newId("msg"))).toBeNull();
      expect(await store.deleteItem(conversation.id, two.id)).toBe(true);
      expect(await store.deleteItem(conversation.id, two.id)).toBe(false);
      expect(await store.getItem(conversation.id, two.id)).toBeNull();
      await store.appendItems(conversation.id, sampleItems(1, "later"));
      const after = (await store.allItems(conversation.id)) ?? [];
      expect(ids(after).slice(0, 2)).toEqual([one.id, three.id]);
      expect(after).toHaveLength(3);
    });

    it("deletes a conversation with its items", async () => {
      const conversation = sampleConversation();
      await store.create(conversation, sampleItems(2));
      expect(await store.delete(conversation.id)).toBe(true);
      expect(await store.get(conversation.id)).toBeNull();
      expect(await store.allItems(conversation.id)).toBeNull();
    });

    it("keeps the items of different conversations apart", async () => {
      const left = sampleConversation();
      const right = sampleConversation();
      const leftItems = sampleItems(2, "left");
      await store.create(left, leftItems);
      await store.create(right, sampleItems(3, "right"));
      expect(ids((await store.allItems(left.id)) ?? [])).toEqual(ids(leftItems));
      const foreign = ((await store.allItems(right.id)) ?? [])[0]?.id ?? "";
      expect(await store.getItem(left.id, foreign)).toBeNull();
      expect(await store.deleteItem(left.id, foreign)).toBe(false);
    });

    it("lands 20 racing appends whole, each block contiguous, none lost", async () => {
      const conversation = sampleConversation();
      await store.create(conversation, sampleItems(1, "start"));
      const blocks = Array.from({ length: 20 }, (_, index) => sampleItems(3, `block ${index}`));
      const results = await Promise.all(
        blocks.map((block) => store.appendItems(conversation.id, block)),
      );
      expect(results.every(Boolean)).toBe(true);
      const stored = ids(((await store.allItems(conversation.id)) ?? []).slice(1));
      expect(stored).toHaveLength(60);
      const blockIds = blocks.map(ids);
      for (let offset = 0; offset < stored.length; offset += 3) {
        const block = blockIds.find((candidate) => candidate[0] === stored[offset]);
        expect(stored.slice(offset, offset + 3)).toEqual(block);
      }
      expect(new Set(stored).size).toBe(60);
    });

    it("tolerates close being called twice", async () => {
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
    });
  });
}

function ids(items: readonly ConversationItem[]): string[] {
  return items.map((item) => item.id);
}
