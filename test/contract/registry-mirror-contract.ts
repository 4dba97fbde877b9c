/**
 * The behaviour every `RegistryMirror` adapter must show (PRODUCT.md §5 "Mirror", §8.8, §8.20;
 * isLatest rules per reference mcp-registry-api.md §4). SQLite runs it now and PostgreSQL will run
 * the same suite, so it speaks only through the port: no SQL, no files.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RegistryServerEntry } from "../../src/store/registry-server-entry.js";
import type {
  ListMirroredQuery,
  RegistryMirror,
  RegistrySyncState,
} from "../../src/store/registry-mirror.js";
import { deletedEntry, sampleEntry } from "./sample-registry-entries.js";

/** A mirror under test plus the cleanup of whatever backs it. */
export interface RegistryMirrorUnderTest {
  mirror: RegistryMirror;
  cleanup(): Promise<void>;
}

export type RegistryMirrorFactory = () => Promise<RegistryMirrorUnderTest>;

/** Declares the contract suite for one adapter; call it at the top level of a `.test.ts` file. */
export function describeRegistryMirrorContract(
  name: string,
  makeMirror: RegistryMirrorFactory,
): void {
  describe(`RegistryMirror contract: ${name}`, () => {
    let subject: RegistryMirrorUnderTest;
    let mirror: RegistryMirror;

    beforeEach(async () => {
      subject = await makeMirror();
      mirror = subject.mirror;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    const apply = (entries: RegistryServerEntry[], registryId = "reg") =>
      mirror.applyEntries(registryId, entries);
    const latestVersion = async (serverName: string, registryId = "reg") =>
      (await mirror.getLatest(registryId, serverName))?.version ?? null;
    const listIds = async (query: ListMirroredQuery) => {
      const page = await mirror.list(query);
      return { ids: page.data.map((server) => server.connectorId), hasMore: page.hasMore };
    };

    it("stores an entry and updates it in place on (name, version)", async () => {
      const entry = sampleEntry("io.example/weather", "1.0.0", { title: "Weather" });
      expect(await apply([entry])).toEqual({ upserted: 1, deleted: 0 });
      const expected = {
        ...entry,
        registryId: "reg",
        connectorId: "mcp::reg::io.example/weather",
        isLatest: true,
      };
      expect(await mirror.getVersion("reg", entry.name, "1.0.0")).toEqual(expected);
      expect(await mirror.getLatest("reg", entry.name)).toEqual(expected);

      await apply([{ ...entry, title: "Weather v2", remotes: [] }]);
      const updated = await mirror.getVersion("reg", entry.name, "1.0.0");
      expect(updated).toMatchObject({ title: "Weather v2", remotes: [], isLatest: true });
      expect(await mirror.counts("reg")).toEqual({ servers: 1, versions: 1 });
    });

    it("returns null for unknown names and versions", async () => {
      await apply([sampleEntry("io.example/a")]);
      expect(await mirror.getLatest("reg", "io.example/missing")).toBeNull();
      expect(await mirror.getVersion("reg", "io.example/a", "9.9.9")).toBeNull();
      expect(await mirror.getLatest("other", "io.example/a")).toBeNull();
    });

    it("picks the latest by semver precedence, whatever the publish order", async () => {
      const name = "io.example/semver";
      await apply([
        sampleEntry(name, "1.10.0", { publishedAt: "2025-01-01T00:00:00Z" }),
        sampleEntry(name, "1.9.0", { publishedAt: "2025-03-01T00:00:00Z" }),
        sampleEntry(name, "1.10.0-rc.1", { publishedAt: "2025-04-01T00:00:00Z" }),
      ]);
      expect(await latestVersion(name)).toBe("1.10.0");
      await apply([sampleEntry(name, "1.10.1", { publishedAt: "2024-01-01T00:00:00Z" })]);
      expect(await latestVersion(name)).toBe("1.10.1");
      expect(await mirror.getVersion("reg", name, "1.10.0")).toMatchObject({ isLatest: false });
      expect(await mirror.counts("reg")).toEqual({ servers: 1, versions: 4 });
    });

    it("picks the latest non-semver version by publishedAt, and semver over non-semver", async () => {
      const name = "io.example/dated";
      await apply([
        sampleEntry(name, "2025-spring", { publishedAt: "2025-05-01T00:00:00Z" }),
        sampleEntry(name, "stable", { publishedAt: "2025-02-01T00:00:00Z" }),
      ]);
      expect(await latestVersion(name)).toBe("2025-spring");
      await apply([sampleEntry(name, "latest-build", { publishedAt: "2025-07-01T00:00:00Z" })]);
      expect(await latestVersion(name)).toBe("latest-build");
      await apply([sampleEntry(name, "0.1.0", { publishedAt: "2020-01-01T00:00:00Z" })]);
      expect(await latestVersion(name)).toBe("0.1.0");
    });

    it("removes deleted versions from every read and promotes the previous latest", async () => {
      const name = "io.example/churn";
      await apply([sampleEntry(name, "1.0.0"), sampleEntry(name, "1.1.0")]);
      expect(await apply([deletedEntry(name, "1.1.0")])).toEqual({ upserted: 0, deleted: 1 });
      expect(await mirror.getVersion("reg", name, "1.1.0")).toBeNull();
      expect(await mirror.getLatest("reg", name)).toMatchObject({
        version: "1.0.0",
        isLatest: true,
      });

      expect(await apply([deletedEntry(name, "1.0.0"), deletedEntry(name, "7.0.0")])).toEqual({
        upserted: 0,
        deleted: 1,
      });
      expect(await mirror.getLatest("reg", name)).toBeNull();
      expect(await listIds({ limit: 10 })).toEqual({ ids: [], hasMore: false });
      expect(await mirror.counts("reg")).toEqual({ servers: 0, versions: 0 });
    });

    it("keeps deprecated servers visible with their message", async () => {
      const deprecated = sampleEntry("io.example/old", "2.0.0", {
        status: "deprecated",
        statusMessage: "Use io.example/new",
      });
      await apply([sampleEntry("io.example/old", "1.0.0"), deprecated]);
      expect(await mirror.getLatest("reg", "io.example/old")).toMatchObject({
        version: "2.0.0",
        status: "deprecated",
        statusMessage: "Use io.example/new",
      });
      const page = await mirror.list({ limit: 10 });
      expect(page.data.map(({ version, status }) => ({ version, status }))).toEqual([
        { version: "2.0.0", status: "deprecated" },
      ]);
    });

    it("lists one row per name at its latest version, only servers with remotes", async () => {
      await apply([
        sampleEntry("io.example/multi", "1.0.0"),
        sampleEntry("io.example/multi", "1.2.0"),
        sampleEntry("io.example/packages", "1.0.0", { remotes: [], hasPackages: true }),
        sampleEntry("io.example/dropped-remote", "1.0.0"),
        sampleEntry("io.example/dropped-remote", "2.0.0", { remotes: [], hasPackages: true }),
      ]);
      const page = await mirror.list({ limit: 10 });
      expect(page.data.map(({ name, version, isLatest }) => ({ name, version, isLatest }))).toEqual(
        [{ name: "io.example/multi", version: "1.2.0", isLatest: true }],
      );
      expect(await mirror.counts("reg")).toEqual({ servers: 3, versions: 5 });
    });

    it("searches name, title and description, case-insensitively", async () => {
      await apply([
        sampleEntry("io.example/alpha", "1.0.0", { title: "Weather Forecasts", description: "x" }),
        sampleEntry("io.example/beta", "1.0.0", { description: "Tells the WEATHER" }),
        sampleEntry("io.example/gamma", "1.0.0", { description: "Stock prices" }),
        sampleEntry("io.example/weather-packages", "1.0.0", { remotes: [] }),
      ]);
      expect((await listIds({ search: "wEaThEr", limit: 10 })).ids).toEqual([
        "mcp::reg::io.example/alpha",
        "mcp::reg::io.example/beta",
      ]);
      expect((await listIds({ search: "GAMMA", limit: 10 })).ids).toEqual([
        "mcp::reg::io.example/gamma",
      ]);
      expect((await listIds({ search: "100%_", limit: 10 })).ids).toEqual([]);
      expect((await listIds({ search: "", limit: 10 })).ids).toHaveLength(3);
    });

    it("pages by connector id with after, limit and hasMore", async () => {
      const names = ["e", "a", "d", "b", "c"].map((letter) => `io.example/${letter}`);
      await apply(names.map((serverName) => sampleEntry(serverName)));
      const id = (letter: string) => `mcp::reg::io.example/${letter}`;
      expect(await listIds({ limit: 2 })).toEqual({ ids: [id("a"), id("b")], hasMore: true });
      expect(await listIds({ limit: 2, after: id("b") })).toEqual({
        ids: [id("c"), id("d")],
        hasMore: true,
      });
      expect(await listIds({ limit: 2, after: id("d") })).toEqual({
        ids: [id("e")],
        hasMore: false,
      });
      expect(await listIds({ limit: 2, after: id("e") })).toEqual({ ids: [], hasMore: false });
      expect(await listIds({ limit: 5 })).toEqual({
        ids: names.map((n) => `mcp::reg::${n}`).sort(),
        hasMore: false,
      });
      await expect(mirror.list({ limit: 0 })).rejects.toThrow(RangeError);
    });

    it("keeps registries apart, even when one id prefixes another", async () => {
      await apply(
        [sampleEntry("io.example/shared", "1.0.0"), sampleEntry("io.example/only-a")],
        "a",
      );
      await apply([sampleEntry("io.example/shared", "2.0.0")], "a-b");
      expect(await latestVersion("io.example/shared", "a")).toBe("1.0.0");
      expect(await latestVersion("io.example/shared", "a-b")).toBe("2.0.0");
      expect((await listIds({ registryId: "a", limit: 10 })).ids).toEqual([
        "mcp::a::io.example/only-a",
        "mcp::a::io.example/shared",
      ]);
      expect((await listIds({ registryId: "a-b", limit: 10 })).ids).toEqual([
        "mcp::a-b::io.example/shared",
      ]);
      expect((await listIds({ limit: 10 })).ids).toEqual([
        "mcp::a-b::io.example/shared",
        "mcp::a::io.example/only-a",
        "mcp::a::io.example/shared",
      ]);
      expect(
        (await listIds({ registryId: "a", after: "mcp::a-b::zzz", search: "shared", limit: 10 }))
          .ids,
      ).toEqual(["mcp::a::io.example/shared"]);
      expect((await listIds({ registryId: "c", limit: 10 })).ids).toEqual([]);
    });

    it("deleteRegistry drops that registry's mirror and sync state only", async () => {
      await apply([sampleEntry("io.example/one")], "gone");
      await apply([sampleEntry("io.example/one")], "kept");
      await mirror.saveSyncState("gone", syncState());
      await mirror.saveSyncState("kept", syncState());
      expect(await mirror.registryIds()).toEqual(["gone", "kept"]);

      await mirror.deleteRegistry("gone");
      expect(await mirror.getLatest("gone", "io.example/one")).toBeNull();
      expect(await mirror.getSyncState("gone")).toBeNull();
      expect(await mirror.counts("gone")).toEqual({ servers: 0, versions: 0 });
      expect(await mirror.getLatest("kept", "io.example/one")).not.toBeNull();
      expect(await mirror.registryIds()).toEqual(["kept"]);
    });

    it("round-trips the sync state and overwrites it", async () => {
      expect(await mirror.getSyncState("reg")).toBeNull();
      const first = syncState({ lastError: "registry answered 503", servers: 3 });
      await mirror.saveSyncState("reg", first);
      expect(await mirror.getSyncState("reg")).toEqual(first);
      const second = syncState({ updatedSince: "2025-07-01T00:00:00.000Z", skipped: 2 });
      await mirror.saveSyncState("reg", second);
      expect(await mirror.getSyncState("reg")).toEqual(second);
    });

    it("removeUnseen drops what a full crawl did not see and recomputes latest", async () => {
      await apply([
        sampleEntry("io.example/stale"),
        sampleEntry("io.example/kept", "1.0.0"),
        sampleEntry("io.example/kept", "2.0.0"),
      ]);
      await mirror.applyEntries("reg", [sampleEntry("io.example/kept", "1.0.0")], {
        crawlId: "crawl-1",
      });
      expect(await mirror.removeUnseen("reg", "crawl-1")).toBe(2);
      expect(await mirror.getLatest("reg", "io.example/stale")).toBeNull();
      expect(await latestVersion("io.example/kept")).toBe("1.0.0");
      await apply([sampleEntry("io.example/kept", "1.0.0", { title: "still seen" })]);
      expect(await mirror.removeUnseen("reg", "crawl-1")).toBe(0);
    });

    it("applies a batch in order, also when it names one version more than once", async () => {
      const name = "io.example/repeat";
      expect(
        await apply([
          sampleEntry(name, "1.0.0", { title: "first" }),
          deletedEntry(name, "1.0.0"),
          sampleEntry(name, "1.0.0", { title: "third" }),
          sampleEntry(name, "2.0.0"),
          deletedEntry(name, "2.0.0"),
        ]),
      ).toEqual({ upserted: 3, deleted: 2 });
      expect(await mirror.getLatest("reg", name)).toMatchObject({
        version: "1.0.0",
        title: "third",
      });
      expect(await mirror.counts("reg")).toEqual({ servers: 1, versions: 1 });
    });

    it("applies a batch atomically", async () => {
      await apply([sampleEntry("io.example/before")]);
      const invalid = {
        ...sampleEntry("io.example/bad"),
        name: null,
      } as unknown as RegistryServerEntry;
      await expect(apply([sampleEntry("io.example/first"), invalid])).rejects.toThrow();
      expect(await mirror.getLatest("reg", "io.example/first")).toBeNull();
      expect(await mirror.counts("reg")).toEqual({ servers: 1, versions: 1 });
    });
  });
}

function syncState(overrides: Partial<RegistrySyncState> = {}): RegistrySyncState {
  return {
    lastSuccessAt: "2025-07-01T10:00:00.000Z",
    lastAttemptAt: "2025-07-01T10:00:00.000Z",
    lastError: null,
    updatedSince: "2025-07-01T09:55:00.000Z",
    servers: 1,
    versions: 1,
    skipped: 0,
    sourceFingerprint: "fingerprint",
    ...overrides,
  };
}
