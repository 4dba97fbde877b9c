/**
 * The behaviour every `ManagedStore` adapter must show (PRODUCT.md §6, §8.10: unique ids, durable
 * writes, revisions for ETag/If-Match). SQLite runs it now and PostgreSQL will run the same suite,
 * so it speaks only through the port: no SQL, no files.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DuplicateIdError,
  RevisionMismatchError,
  type ManagedStore,
  type Stored,
} from "../../src/store/managed-store.js";

/** A store under test plus what the suite needs to reopen its data and clean up after it. */
export interface ManagedStoreUnderTest<T> {
  store: ManagedStore<T>;
  /** Opaque name of the backing data (a file path, a schema); passed back to open it again. */
  location: string;
  /** Closes the store's connection (idempotent) and removes the data when this handle created it. */
  cleanup(): Promise<void>;
  /** Closes the connection only, keeping the data for a reopen at `location`. */
  close(): Promise<void>;
}

/** Without `location`: fresh, empty data. With one: a new store on existing data. */
export type ManagedStoreFactory<T> = (location?: string) => Promise<ManagedStoreUnderTest<T>>;

/** How the suite makes values of `T` and tells which id one belongs to (`Stored<T>` has no id). */
export interface ManagedValueSamples<T> {
  /** A valid value for `id`; different `variant`s give different values (for updates). */
  sampleValue(id: string, variant: number): T;
  idOf(value: T): string;
}

/** Declares the contract suite for one adapter; call it at the top level of a `.test.ts` file. */
export function describeManagedStoreContract<T>(
  name: string,
  makeStore: ManagedStoreFactory<T>,
  samples: ManagedValueSamples<T>,
): void {
  const { sampleValue, idOf } = samples;
  describe(`ManagedStore contract: ${name}`, () => {
    let subject: ManagedStoreUnderTest<T>;
    let store: ManagedStore<T>;

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    const seed = (id: string, variant = 0): Promise<Stored<T>> =>
      store.create(id, sampleValue(id, variant));
    const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
      try {
        await promise;
      } catch (error) {
        return error;
      }
      throw new Error("expected the promise to reject");
    };

    it("creates an object at revision 1 and reads it back by id and in the list", async () => {
      const before = Date.now();
      const created = await seed("alpha");
      const after = Date.now();
      expect(created).toEqual({
        value: sampleValue("alpha", 0),
        revision: 1,
        createdAt: created.updatedAt,
        updatedAt: created.createdAt,
      });
      const createdAt = Date.parse(created.createdAt);
      expect(createdAt).toBeGreaterThanOrEqual(before);
      expect(createdAt).toBeLessThanOrEqual(after);
      expect(await store.get("alpha")).toEqual(created);
      expect(await store.list()).toEqual([created]);
      expect(await store.get("missing")).toBeNull();
    });

    it("lists by id in code-point order, whatever the insertion order", async () => {
      const ids = ["beta", "Zulu", "alpha", "alpha-2", "a_b", "mcp::x"];
      for (const id of ids) await seed(id);
      const listed = (await store.list()).map((stored) => idOf(stored.value));
      expect(listed).toEqual(["Zulu", "a_b", "alpha", "alpha-2", "beta", "mcp::x"]);
    });

    it("refuses a duplicate id and keeps the first value", async () => {
      const first = await seed("dup", 0);
      const error = await rejection(seed("dup", 1));
      expect(error).toBeInstanceOf(DuplicateIdError);
      expect(error).toMatchObject({ id: "dup" });
      expect(await store.get("dup")).toEqual(first);
      expect(await store.list()).toHaveLength(1);
    });

    it("increments revision and updatedAt on update and keeps createdAt", async () => {
      const created = await seed("obj", 0);
      const updated = await store.update("obj", sampleValue("obj", 1));
      expect(updated).toEqual({
        value: sampleValue("obj", 1),
        revision: 2,
        createdAt: created.createdAt,
        updatedAt: expect.any(String),
      });
      expect(Date.parse(updated!.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
      expect(await store.get("obj")).toEqual(updated);
      const again = await store.update("obj", sampleValue("obj", 2));
      expect(again?.revision).toBe(3);
      expect(Date.parse(again!.updatedAt)).toBeGreaterThan(Date.parse(updated!.updatedAt));
    });

    it("updates when expectedRevision matches", async () => {
      await seed("obj");
      const updated = await store.update("obj", sampleValue("obj", 1), 1);
      expect(updated).toMatchObject({ value: sampleValue("obj", 1), revision: 2 });
      expect(await store.update("obj", sampleValue("obj", 2), 2)).toMatchObject({ revision: 3 });
    });

    it("refuses a stale expectedRevision, names the current one and writes nothing", async () => {
      await seed("obj", 0);
      const current = await store.update("obj", sampleValue("obj", 1));
      const error = await rejection(store.update("obj", sampleValue("obj", 2), 1));
      expect(error).toBeInstanceOf(RevisionMismatchError);
      expect(error).toMatchObject({ id: "obj", currentRevision: 2 });
      expect(await store.get("obj")).toEqual(current);
    });

    it("returns null when updating an unknown id, and creates nothing", async () => {
      expect(await store.update("ghost", sampleValue("ghost", 1))).toBeNull();
      expect(await store.update("ghost", sampleValue("ghost", 1), 1)).toBeNull();
      expect(await store.get("ghost")).toBeNull();
      expect(await store.list()).toEqual([]);
    });

    it("refuses a delete with a stale expectedRevision and keeps the object", async () => {
      await seed("obj", 0);
      const current = await store.update("obj", sampleValue("obj", 1));
      const error = await rejection(store.delete("obj", 1));
      expect(error).toBeInstanceOf(RevisionMismatchError);
      expect(error).toMatchObject({ id: "obj", currentRevision: 2 });
      expect(await store.get("obj")).toEqual(current);
    });

    it("deletes an object (with or without expectedRevision), then knows nothing of it", async () => {
      await seed("one");
      await seed("two");
      expect(await store.delete("one")).toBe(true);
      expect(await store.get("one")).toBeNull();
      expect(await store.delete("two", 1)).toBe(true);
      expect(await store.list()).toEqual([]);
      expect(await store.delete("one")).toBe(false);
    });

    it("returns false when deleting an unknown id", async () => {
      expect(await store.delete("ghost")).toBe(false);
      expect(await store.delete("ghost", 3)).toBe(false);
    });

    it("lets a deleted id be created again, from revision 1", async () => {
      await seed("again", 0);
      await store.update("again", sampleValue("again", 1));
      await store.delete("again");
      expect(await seed("again", 2)).toMatchObject({ value: sampleValue("again", 2), revision: 1 });
    });

    it("keeps every one of 200 concurrent creates", async () => {
      const ids = Array.from(
        { length: 200 },
        (_, index) => `obj-${String(index).padStart(3, "0")}`,
      );
      const created = await Promise.all(ids.map((id, index) => seed(id, index)));
      expect(created.map((stored) => stored.revision)).toEqual(ids.map(() => 1));
      const listed = await store.list();
      expect(listed.map((stored) => idOf(stored.value))).toEqual(ids);
      expect(listed.map((stored) => stored.value)).toEqual(ids.map((id, i) => sampleValue(id, i)));
    });

    it("serialises 200 concurrent updates of one object: no lost write", async () => {
      await seed("hot", 0);
      const variants = Array.from({ length: 200 }, (_, index) => index + 1);
      const results = await Promise.all(
        variants.map((variant) => store.update("hot", sampleValue("hot", variant))),
      );
      const revisions = results.map((stored) => stored?.revision ?? 0);
      expect([...revisions].sort((a, b) => a - b)).toEqual(variants.map((variant) => variant + 1));
      const final = await store.get("hot");
      expect(final?.revision).toBe(201);
      const winner = results.find((stored) => stored?.revision === 201);
      expect(final).toEqual(winner);
    });

    it("keeps its data across a close and reopen", async () => {
      const kept = await seed("kept", 0);
      const changed = await store.update("kept", sampleValue("kept", 1));
      await seed("gone");
      await store.delete("gone");
      await subject.close();
      const reopened = await makeStore(subject.location);
      try {
        expect(kept.revision).toBe(1);
        expect(await reopened.store.list()).toEqual([changed]);
        expect(await reopened.store.update("kept", sampleValue("kept", 2), 2)).toMatchObject({
          revision: 3,
          createdAt: kept.createdAt,
        });
      } finally {
        await reopened.close();
      }
    });
  });
}
