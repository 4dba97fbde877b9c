import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { describeRegistryMirrorContract } from "../../../test/contract/registry-mirror-contract.js";
import { sampleEntry } from "../../../test/contract/sample-registry-entries.js";
import { postgresTestDatabase } from "../../../test/support/postgres.js";
import { StoredValueError } from "../read-stored-json.js";
import { openPostgresDatabase } from "./open-postgres-database.js";
import { PostgresRegistryMirror } from "./postgres-registry-mirror.js";

const postgres = postgresTestDatabase();
const logger = pino({ level: "silent" });

describe.skipIf(postgres.skipReason !== null)("PostgreSQL", () => {
  describeRegistryMirrorContract("PostgresRegistryMirror", async () => {
    const database = await openPostgresDatabase(postgres.backend(), { logger });
    return { mirror: new PostgresRegistryMirror(database), cleanup: () => database.close() };
  });
});

describe.skipIf(postgres.skipReason !== null)("PostgresRegistryMirror specifics", () => {
  it("can serve a listing search from the partial listing index, in order, without a sort", async () => {
    const backend = postgres.backend();
    const database = await openPostgresDatabase(backend, { logger });
    try {
      const plan = await database.transaction(async (session) => {
        // Tiny tables favour a sequential scan; forbid it to see whether the index fits the query.
        await session.query("SET LOCAL enable_seqscan = off");
        const { rows } = await session.query<{ "QUERY PLAN": string }>(
          `EXPLAIN SELECT connector_id FROM registry_servers
           WHERE is_latest AND has_remotes AND connector_id > $1 AND connector_id < $2
             AND strpos(search_text, $3) > 0
           ORDER BY connector_id LIMIT 21`,
          ["", "mcp:;", "x"],
        );
        return rows.map((row) => row["QUERY PLAN"]).join("\n");
      });
      expect(plan).toContain("registry_servers_listing");
      expect(plan).not.toMatch(/\bSort\b/);
    } finally {
      await database.close();
    }
  });

  it("reads corrupt remotes as a StoredValueError naming the row", async () => {
    const backend = postgres.backend();
    const database = await openPostgresDatabase(backend, { logger });
    try {
      const mirror = new PostgresRegistryMirror(database);
      await mirror.applyEntries("reg", [sampleEntry("io.example/x", "1.0.0")]);
      await postgres.query(
        `UPDATE "${backend.schema}".registry_servers SET remotes = '[{"type":"stdio"}]'`,
      );
      const error: unknown = await mirror
        .getLatest("reg", "io.example/x")
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoredValueError);
      expect(error).toMatchObject({
        table: "registry_servers",
        id: "mcp::reg::io.example/x@1.0.0",
      });
    } finally {
      await database.close();
    }
  });
});
