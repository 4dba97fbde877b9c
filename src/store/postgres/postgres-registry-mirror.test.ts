import { pino } from "pino";
import { describe } from "vitest";
import { describeRegistryMirrorContract } from "../../../test/contract/registry-mirror-contract.js";
import { postgresTestDatabase } from "../../../test/support/postgres.js";
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
