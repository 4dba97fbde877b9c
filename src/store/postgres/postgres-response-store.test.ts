import { pino } from "pino";
import { describe } from "vitest";
import {
  describeResponseStoreContract,
  type ResponseStoreUnderTest,
} from "../../../test/contract/response-store-contract.js";
import { postgresTestDatabase } from "../../../test/support/postgres.js";
import { openPostgresDatabase } from "./open-postgres-database.js";
import { PostgresResponseStore } from "./postgres-response-store.js";

const postgres = postgresTestDatabase();
const logger = pino({ level: "silent" });

/** `location` is the schema: a new store on it reopens the same data. */
async function makeStore(location?: string): Promise<ResponseStoreUnderTest> {
  const backend = postgres.backend(location === undefined ? {} : { schema: location });
  const store = new PostgresResponseStore(await openPostgresDatabase(backend, { logger }));
  return { store, location: backend.schema, cleanup: () => store.close() };
}

describe.skipIf(postgres.skipReason !== null)("PostgreSQL", () => {
  describeResponseStoreContract("PostgresResponseStore", makeStore);
});
