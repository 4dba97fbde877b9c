import { pino } from "pino";
import { describe } from "vitest";
import {
  describeConversationStoreContract,
  type ConversationStoreUnderTest,
} from "../../../test/contract/conversation-store-contract.js";
import { postgresTestDatabase } from "../../../test/support/postgres.js";
import { openPostgresDatabase } from "./open-postgres-database.js";
import { PostgresConversationStore } from "./postgres-conversation-store.js";

const postgres = postgresTestDatabase();
const logger = pino({ level: "silent" });

async function makeStore(): Promise<ConversationStoreUnderTest> {
  const database = await openPostgresDatabase(postgres.backend(), { logger });
  const store = new PostgresConversationStore(database);
  return { store, cleanup: () => store.close() };
}

describe.skipIf(postgres.skipReason !== null)("PostgreSQL", () => {
  describeConversationStoreContract("PostgresConversationStore", makeStore);
});
