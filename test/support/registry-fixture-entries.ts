import { readFileSync } from "node:fs";
import { z } from "zod";

/** A server.json object as the registry stores it (tests may build deliberately broken ones). */
export type ServerJson = Record<string, unknown>;

export type FixtureStatus = "active" | "deprecated" | "deleted";

/** One (name, version) row of the fixture registry. */
export interface FixtureServer {
  server: ServerJson;
  status?: FixtureStatus;
  statusMessage?: string;
  /** Default: now (kept from the existing row on an update). */
  publishedAt?: string;
  /** Default: `publishedAt` for a new row, now for an update. */
  updatedAt?: string;
  /**
   * Merged over the response-level `_meta` the fixture builds: add a subregistry's own key, or set
   * `"io.modelcontextprotocol.registry/official": undefined` to serve an entry without it.
   */
  meta?: Record<string, unknown>;
}

/** A `remotes[]` element (types other than streamable-http/sse are allowed, to test skipping). */
export interface FixtureRemote {
  type: string;
  url: string;
  headers?: Array<Record<string, unknown>>;
  variables?: Record<string, Record<string, unknown>>;
}

export interface FixtureEntryOptions extends Omit<FixtureServer, "server"> {
  version?: string;
  title?: string;
  description?: string;
  remotes?: FixtureRemote[];
  packages?: Array<Record<string, unknown>>;
}

export const SEED_FILE = "mcp-registry-seed-2025-09-29-358servers.json";

/**
 * A fixture row for a server whose remotes point wherever the test wants (typically local MCP
 * fixture servers), in the current server.json shape (schema 2025-12-11).
 */
export function fixtureEntry(name: string, options: FixtureEntryOptions = {}): FixtureServer {
  const { version, title, description, remotes, packages, ...row } = options;
  const server: ServerJson = {
    $schema: "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
    name,
    description: description ?? `Fixture server ${name}`,
    version: version ?? "1.0.0",
  };
  if (title !== undefined) server["title"] = title;
  if (remotes !== undefined) server["remotes"] = remotes;
  if (packages !== undefined) server["packages"] = packages;
  return { server, ...row };
}

const SeedSchema = z.array(z.record(z.string(), z.unknown()));

/**
 * The real 2025-09-29 seed (358 server.json objects, one version each), kept in the repository
 * under `test/fixtures/registry/` (provenance in its README). Published one second apart from
 * 2025-09-29T00:00:00Z, in file order.
 */
export function loadRegistrySeed(file: string = SEED_FILE): FixtureServer[] {
  const path = new URL(`../fixtures/registry/${file}`, import.meta.url);
  const servers = SeedSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  const start = Date.parse("2025-09-29T00:00:00.000Z");
  return servers.map((server, index) => {
    const stamp = new Date(start + index * 1000).toISOString();
    return { server, publishedAt: stamp, updatedAt: stamp };
  });
}
