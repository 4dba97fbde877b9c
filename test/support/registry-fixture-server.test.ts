import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  fixtureEntry,
  startRegistryFixture,
  type RegistryFixture,
} from "./registry-fixture-server.js";

const ListSchema = z.object({
  servers: z.array(
    z.object({
      server: z.object({ name: z.string(), version: z.string() }),
      _meta: z.object({
        "io.modelcontextprotocol.registry/official": z.object({
          status: z.string(),
          isLatest: z.boolean(),
          updatedAt: z.string(),
        }),
      }),
    }),
  ),
  metadata: z.object({ nextCursor: z.string().optional(), count: z.number() }),
});

let fixture: RegistryFixture;
beforeEach(async () => {
  fixture = await startRegistryFixture({
    servers: [
      fixtureEntry("io.test/alpha", { version: "1.9.0", publishedAt: "2025-01-01T00:00:00Z" }),
      fixtureEntry("io.test/alpha", { version: "1.10.0", publishedAt: "2025-01-02T00:00:00Z" }),
      fixtureEntry("io.test/Beta", { version: "2025-01", publishedAt: "2025-01-03T00:00:00Z" }),
      fixtureEntry("io.test/Beta", { version: "2024-12", publishedAt: "2025-01-04T00:00:00Z" }),
      fixtureEntry("com.example/gamma", { status: "deleted", updatedAt: "2025-01-05T00:00:00Z" }),
    ],
  });
});
afterEach(async () => {
  await fixture.close();
});

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${fixture.url}${path}`, { redirect: "manual" });
  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : null;
  return { status: response.status, body };
}

async function list(query: string): Promise<z.infer<typeof ListSchema>> {
  const { status, body } = await get(`/v0.1/servers?${query}`);
  expect(status).toBe(200);
  return ListSchema.parse(body);
}

const ids = (page: z.infer<typeof ListSchema>): string[] =>
  page.servers.map(({ server }) => `${server.name}@${server.version}`);

describe("registry fixture", () => {
  it("orders by name then version in byte order, pages by name:version cursor, hides deleted", async () => {
    const first = await list("limit=2");
    const second = await list(
      `limit=2&cursor=${encodeURIComponent(first.metadata.nextCursor ?? "")}`,
    );
    const withDeleted = await list("include_deleted=true");

    expect(ids(first)).toEqual(["io.test/Beta@2024-12", "io.test/Beta@2025-01"]);
    expect(first.metadata).toEqual({ nextCursor: "io.test/Beta:2025-01", count: 2 });
    expect(ids(second)).toEqual(["io.test/alpha@1.10.0", "io.test/alpha@1.9.0"]);
    expect((await list(`limit=2&cursor=${second.metadata.nextCursor ?? ""}`)).servers).toEqual([]);
    expect(ids(withDeleted)[0]).toBe("com.example/gamma@1.0.0");
  });

  it("computes isLatest like the registry and filters on it, on search and on v0", async () => {
    const latest = await list("version=latest");
    const searched = await get("/v0/servers?search=BETA");

    expect(ids(latest)).toEqual(["io.test/Beta@2024-12", "io.test/alpha@1.10.0"]);
    expect(ids(ListSchema.parse(searched.body))).toHaveLength(2);
    fixture.setStatus("io.test/alpha", "1.10.0", "deleted");
    expect(ids(await list("version=latest"))).toContain("io.test/alpha@1.9.0");
  });

  it("validates limit, updated_since and include_deleted like huma", async () => {
    const tooMany = await get("/v0.1/servers?limit=101");
    const badSince = await get("/v0.1/servers?updated_since=yesterday");
    const conflict = await get(
      "/v0.1/servers?updated_since=2025-01-01T00:00:00Z&include_deleted=false",
    );

    expect(tooMany).toMatchObject({
      status: 422,
      body: { title: "Unprocessable Entity", errors: [{ location: "query.limit" }] },
    });
    expect(badSince.status).toBe(400);
    expect(conflict.status).toBe(400);
    expect((await list("")).metadata.count).toBe(4);
  });

  it("returns changes strictly after updated_since, deleted ones included", async () => {
    const changes = await list("updated_since=2025-01-04T00:00:00Z");
    fixture.setStatus("io.test/Beta", "2025-01", "deprecated", "moved");
    const after = await list(`updated_since=${encodeURIComponent("2025-01-05T00:00:00Z")}`);

    expect(ids(changes)).toEqual(["com.example/gamma@1.0.0"]);
    expect(ids(after)).toEqual(["io.test/Beta@2025-01"]);
  });

  it("routes detail only with %2F-encoded names, with huma's 404 and trailing-slash redirect", async () => {
    const encoded = await get("/v0.1/servers/io.test%2Falpha/versions/latest");
    const raw = await get("/v0.1/servers/io.test/alpha/versions/latest");
    const slash = await get("/v0.1/servers/");
    const versions = await get("/v0.1/servers/io.test%2Falpha/versions");

    expect(encoded).toMatchObject({ status: 200, body: { server: { version: "1.10.0" } } });
    expect(raw.status).toBe(404);
    expect(await get("/v0.1/servers/io.test%2Fnone/versions/1.0.0")).toEqual({
      status: 404,
      body: { title: "Not Found", status: 404, detail: "Server not found" },
    });
    expect(slash.status).toBe(308);
    expect(ids(ListSchema.parse(versions.body))).toEqual([
      "io.test/alpha@1.10.0",
      "io.test/alpha@1.9.0",
    ]);
  });

  it("can paginate forever with empty pages or a repeating page", async () => {
    fixture.endlessPagination = "empty";
    const last = await list("limit=100");
    const empty = await list(`limit=100&cursor=${last.metadata.nextCursor ?? ""}`);
    fixture.endlessPagination = "repeat";
    const repeated = await list(`limit=1&cursor=${empty.metadata.nextCursor ?? ""}`);
    const again = await list(`limit=1&cursor=${repeated.metadata.nextCursor ?? ""}`);

    expect(empty.servers).toEqual([]);
    expect(empty.metadata.nextCursor).toBe(last.metadata.nextCursor);
    expect(ids(again)).toEqual(ids(repeated));
    expect(again.metadata.nextCursor).toBe(repeated.metadata.nextCursor);
  });

  it("answers in the legacy error shape when asked to", async () => {
    fixture.errorShape = "legacy";

    expect(await get("/v0.1/servers?limit=0")).toEqual({
      status: 422,
      body: { error: "validation failed" },
    });
  });
});
