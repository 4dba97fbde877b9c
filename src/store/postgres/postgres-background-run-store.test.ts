import { pino } from "pino";
import { describe } from "vitest";
import { describeBackgroundRunStoreContract } from "../../../test/contract/background-run-store-contract.js";
import { postgresTestDatabase } from "../../../test/support/postgres.js";
import { openPostgresDatabase } from "./open-postgres-database.js";
import { PostgresBackgroundRunStore } from "./postgres-background-run-store.js";
import { PostgresResponseStore } from "./postgres-response-store.js";

const postgres = postgresTestDatabase();
const logger = pino({ level: "silent" });

describe.skipIf(postgres.skipReason !== null)("PostgreSQL", () => {
  describeBackgroundRunStoreContract("PostgresBackgroundRunStore", async () => {
    const database = await openPostgresDatabase(postgres.backend(), { logger });
    return {
      responses: new PostgresResponseStore(database),
      runs: new PostgresBackgroundRunStore(database),
      cleanup: () => database.close(),
    };
  });
});
