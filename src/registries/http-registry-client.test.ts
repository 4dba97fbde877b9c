import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RegistryError } from "../errors/registry-error.js";
import { HttpRegistryClient, type HttpRegistryClientOptions } from "./http-registry-client.js";
import { OFFICIAL_META_KEY } from "./registry-response-schema.js";
import type { RegistryClient, RegistryServerEntry } from "./registry-types.js";
import {
  loadRegistrySeed,
  startRegistryFixture,
  type RegistryFixture,
} from "../../test/support/registry-fixture-server.js";

const seedNames = loadRegistrySeed()
  .map((entry) => String(entry.server["name"]))
  .sort();
const signal = new AbortController().signal;

let fixture: RegistryFixture;
beforeEach(async () => {
  fixture = await startRegistryFixture();
});
afterEach(async () => {
  await fixture.close();
});

/** Nothing here is retried; retries and their pauses are tested in the failures file. */
function client(options: Partial<HttpRegistryClientOptions> = {}): HttpRegistryClient {
  return new HttpRegistryClient({ baseUrl: fixture.url, ...options });
}

async function crawl(registry: RegistryClient): Promise<{
  entries: RegistryServerEntry[];
  pageSizes: number[];
}> {
  const entries: RegistryServerEntry[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await registry.listPage({ limit: 100, cursor }, signal);
    entries.push(...page.entries);
    pageSizes.push(page.entries.length + page.skipped);
    if (page.nextCursor === null || page.entries.length + page.skipped === 0) break;
    cursor = page.nextCursor;
  }
  return { entries, pageSizes };
}

describe("HttpRegistryClient listing", () => {
  it("crawls the real 358-server seed in pages of 100, passing each cursor back", async () => {
    const { entries, pageSizes } = await crawl(client());

    expect(pageSizes).toEqual([100, 100, 100, 58]);
    expect(entries.map((entry) => entry.name)).toEqual(seedNames);
    expect(fixture.requests.map((request) => request.query["cursor"])).toEqual([
      undefined,
      `${seedNames[99]}:0.0.1-seed`,
      `${seedNames[199]}:0.0.1-seed`,
      `${seedNames[299]}:0.0.1-seed`,
    ]);
    expect(fixture.requests.every((request) => request.path === "/v0.1/servers")).toBe(true);
    expect(entries.every((entry) => entry.status === "active" && entry.hasPackages)).toBe(true);
    const cloudflare = entries.find(
      (entry) => entry.name === "com.cloudflare/mcp-server-cloudflare",
    );
    expect(cloudflare?.remotes.map((remote) => [remote.type, remote.url])).toEqual([
      ["sse", "https://observability.mcp.cloudflare.com/sse"],
      ["sse", "https://bindings.mcp.cloudflare.com/sse"],
    ]);
  });

  it("follows the cursor of an exactly full last page to an empty page, without deleted servers", async () => {
    for (const name of seedNames.slice(0, 58)) fixture.setStatus(name, "0.0.1-seed", "deleted");

    const { entries, pageSizes } = await crawl(client());

    expect(pageSizes).toEqual([100, 100, 100, 0]);
    expect(entries).toHaveLength(358 - 58);
    expect(entries.map((entry) => entry.name)).toEqual(seedNames.slice(58));
  });

  it("asks for changes since a timestamp and sees deleted and deprecated servers with their status", async () => {
    const [deprecated = "", deleted = ""] = seedNames;
    const since = new Date(Date.now() - 1).toISOString();
    fixture.setStatus(deprecated, "0.0.1-seed", "deprecated", "Use v2");
    fixture.setStatus(deleted, "0.0.1-seed", "deleted");

    const page = await client().listPage({ limit: 100, updatedSince: since }, signal);

    expect(fixture.requests[0]?.query).toEqual({ limit: "100", updated_since: since });
    expect(page.nextCursor).toBeNull();
    expect(
      page.entries.map(({ name, status, statusMessage }) => ({ name, status, statusMessage })),
    ).toEqual(
      [
        { name: deprecated, status: "deprecated", statusMessage: "Use v2" },
        { name: deleted, status: "deleted", statusMessage: null },
      ].sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
  });

  it("skips and counts bad entries without failing the page, and ignores what it does not know", async () => {
    fixture.setServers([
      { server: { name: "io.test/good", version: "1.0.0", description: "fine" } },
      { server: { name: "io.test/no-url", version: "1.0.0", remotes: [{ type: "sse" }] } },
      { server: { name: "io.test/bad-version", version: 7 } },
      {
        server: { name: "io.test/odd-status", version: "1.0.0" },
        meta: { [OFFICIAL_META_KEY]: { status: "quarantined" } },
      },
      {
        server: { name: "io.test/no-meta", version: "2.0.0" },
        meta: { [OFFICIAL_META_KEY]: undefined, "com.example.subregistry/custom": { rating: 5 } },
      },
      {
        server: {
          name: "io.test/mixed",
          version: "1.0.0",
          remotes: [
            { type: "websocket", url: "wss://example.com" },
            {
              type: "streamable-http",
              url: "https://{tenant}.example.com/mcp",
              headers: [{ name: "X-API-Key", isSecret: true, variables: { key: {} } }],
              variables: { tenant: { default: "acme", isRequired: true } },
            },
          ],
          packages: [],
        },
      },
    ]);

    const page = await client().listPage({ limit: 100 }, signal);

    expect(page.skipped).toBe(3);
    expect(page.entries.map((entry) => entry.name)).toEqual([
      "io.test/good",
      "io.test/mixed",
      "io.test/no-meta",
    ]);
    const [good, mixed, noMeta] = page.entries;
    expect(good).toMatchObject({
      description: "fine",
      title: null,
      remotes: [],
      hasPackages: false,
      isLatest: true,
    });
    expect(noMeta).toMatchObject({ status: "active", publishedAt: null, isLatest: null });
    expect(mixed?.remotes).toEqual([
      {
        type: "streamable-http",
        url: "https://{tenant}.example.com/mcp",
        headers: [
          {
            name: "X-API-Key",
            description: null,
            isRequired: false,
            isSecret: true,
            value: null,
            default: null,
            variables: {
              key: {
                name: "key",
                description: null,
                isRequired: false,
                isSecret: false,
                value: null,
                default: null,
              },
            },
          },
        ],
        variables: {
          tenant: {
            name: "tenant",
            description: null,
            isRequired: true,
            isSecret: false,
            value: null,
            default: "acme",
          },
        },
      },
    ]);
  });

  it("sends the configured headers", async () => {
    await client({ headers: { authorization: "Bearer registry-token" } }).listPage(
      { limit: 1 },
      signal,
    );

    expect(fixture.requests[0]?.headers["authorization"]).toBe("Bearer registry-token");
  });
});

describe("HttpRegistryClient.getVersion", () => {
  it("encodes the name's '/' as %2F and returns the detail entry", async () => {
    const entry = await client().getVersion("io.github.21st-dev/magic-mcp", "latest", signal);

    expect(fixture.requests.map((request) => request.path)).toEqual([
      "/v0.1/servers/io.github.21st-dev%2Fmagic-mcp/versions/latest",
    ]);
    expect(entry).toMatchObject({
      name: "io.github.21st-dev/magic-mcp",
      version: "0.0.1-seed",
      isLatest: true,
      hasPackages: true,
    });
  });

  it("encodes build metadata ('+' as %2B) in a pinned version", async () => {
    fixture.upsert({ server: { name: "io.test/built", version: "1.0.0+20130313144700" } });

    const entry = await client().getVersion("io.test/built", "1.0.0+20130313144700", signal);

    expect(fixture.requests[0]?.path).toBe(
      "/v0.1/servers/io.test%2Fbuilt/versions/1.0.0%2B20130313144700",
    );
    expect(entry?.version).toBe("1.0.0+20130313144700");
  });

  it("answers null for an unknown name or version, and for a deleted one, without retrying", async () => {
    fixture.setStatus(seedNames[0] ?? "", "0.0.1-seed", "deleted");
    const registry = client();

    expect(await registry.getVersion("io.test/nothing", "latest", signal)).toBeNull();
    expect(await registry.getVersion(seedNames[1] ?? "", "9.9.9", signal)).toBeNull();
    expect(await registry.getVersion(seedNames[0] ?? "", "0.0.1-seed", signal)).toBeNull();
    expect(fixture.requests).toHaveLength(3);
  });

  it("reports a detail body that is not a server entry as a protocol error", async () => {
    fixture.failNext(1, { status: 200, body: { server: { title: "no name" } } });

    const pending = client().getVersion("io.test/x", "latest", signal);

    await expect(pending).rejects.toBeInstanceOf(RegistryError);
    await expect(pending).rejects.toMatchObject({ kind: "protocol", status: null });
  });
});
