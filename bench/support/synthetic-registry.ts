/**
 * A synthetic MCP Registry for the registry-sync benchmark (issue 5): `count` servers with
 * deterministic titles and descriptions, most with remotes, some packages-only, some with several
 * versions, served by `GET /v0.1/servers` the way the official API pages it (reference
 * mcp-registry-api.md §1): order by (name, version), `name:version` cursors, a cursor whenever a
 * page is full, `limit` 1–100 else 422, `updated_since` strict.
 */
import { createServer, type Server } from "node:http";
import { listenOnLoopback } from "../../test/support/listen-on-loopback.js";

const words = (
  "weather forecast github issues calendar email slack notion database postgres search " +
  "files drive analytics billing invoices stripe payments maps travel flights hotels crm " +
  "tickets support docs wiki translate speech vision images video music news finance stocks " +
  "crypto kubernetes docker cloud storage logs metrics alerts security scanner browser"
).split(" ");

interface WireEntry {
  name: string;
  version: string;
  updatedAt: number;
  json: string;
}

/** A small deterministic PRNG, so every run mirrors the same registry. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Server names of the synthetic registry, for lookups. */
export function syntheticName(index: number): string {
  return `io.bench-${index % 400}/server-${String(index).padStart(6, "0")}`;
}

export function buildSyntheticEntries(count: number): WireEntry[] {
  const random = mulberry32(42);
  const pick = () => words[Math.floor(random() * words.length)] ?? "misc";
  const base = Date.parse("2025-01-01T00:00:00Z");
  const entries: WireEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    const name = syntheticName(index);
    const versions = index % 10 === 0 ? ["1.0.0", "1.9.0", "1.10.0"] : ["1.0.0"];
    const packagesOnly = index % 7 === 0;
    const title = `${pick()} ${pick()}`.replace(/^./, (first) => first.toUpperCase());
    const description = Array.from({ length: 10 }, pick).join(" ");
    versions.forEach((version, versionIndex) => {
      const updatedAt = base + index * 1000 + versionIndex;
      const stamp = new Date(updatedAt).toISOString();
      const remotes = packagesOnly
        ? undefined
        : [
            {
              type: "streamable-http",
              url: `https://{tenant}.mcp-${index}.example.com/mcp`,
              variables: { tenant: { description: "Tenant", default: "acme" } },
              headers: [{ name: "Authorization", isRequired: true, isSecret: true }],
            },
            { type: "sse", url: `https://mcp-${index}.example.com/sse` },
          ];
      const server = {
        $schema: "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
        name,
        title,
        description,
        version,
        repository: { url: `https://github.com/bench/server-${index}`, source: "github" },
        ...(remotes === undefined
          ? { packages: [{ registryType: "npm", identifier: `@bench/s${index}`, version }] }
          : { remotes }),
      };
      const official = {
        status: "active",
        publishedAt: stamp,
        updatedAt: stamp,
        isLatest: versionIndex === versions.length - 1,
      };
      const json = JSON.stringify({
        server,
        _meta: { "io.modelcontextprotocol.registry/official": official },
      });
      entries.push({ name, version, updatedAt, json });
    });
  }
  return entries.sort((left, right) =>
    left.name !== right.name
      ? compareBytes(left.name, right.name)
      : compareBytes(left.version, right.version),
  );
}

function compareBytes(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Serves `entries` on 127.0.0.1 at a free port; resolves with its base URL. */
export async function serveSyntheticRegistry(
  entries: readonly WireEntry[],
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname !== "/v0.1/servers") {
      response.writeHead(404, { "content-type": "application/problem+json" });
      response.end(JSON.stringify({ title: "Not Found", status: 404 }));
      return;
    }
    const limit = Number(url.searchParams.get("limit") ?? "30");
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      response.writeHead(422, { "content-type": "application/problem+json" });
      response.end(JSON.stringify({ title: "Unprocessable Entity", status: 422 }));
      return;
    }
    const since = url.searchParams.get("updated_since");
    const sinceTime = since === null ? null : Date.parse(since);
    const cursor = url.searchParams.get("cursor");
    let start = 0;
    if (cursor !== null) {
      const separator = cursor.indexOf(":");
      const name = cursor.slice(0, separator);
      const version = cursor.slice(separator + 1);
      start = firstAfter(entries, name, version);
    }
    const page: WireEntry[] = [];
    for (let index = start; index < entries.length && page.length < limit; index += 1) {
      const entry = entries[index];
      if (entry !== undefined && (sinceTime === null || entry.updatedAt > sinceTime)) {
        page.push(entry);
      }
    }
    const last = page.at(-1);
    const metadata =
      page.length >= limit && last !== undefined
        ? { nextCursor: `${last.name}:${last.version}`, count: page.length }
        : { count: page.length };
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      `{"servers":[${page.map((entry) => entry.json).join(",")}],"metadata":${JSON.stringify(metadata)}}`,
    );
  });
  const port = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, server };
}

/** Binary search for the first entry after (name, version). */
function firstAfter(entries: readonly WireEntry[], name: string, version: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const entry = entries[middle];
    const after =
      entry !== undefined &&
      (entry.name > name || (entry.name === name && entry.version > version));
    if (after) high = middle;
    else low = middle + 1;
  }
  return low;
}
