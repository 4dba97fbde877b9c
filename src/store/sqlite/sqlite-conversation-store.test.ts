import {
  describeConversationStoreContract,
  type ConversationStoreUnderTest,
} from "../../../test/contract/conversation-store-contract.js";
import { temporarySqlite } from "../../../test/support/temporary-sqlite.js";
import { openSqliteDatabase } from "./open-sqlite-database.js";
import { SqliteConversationStore } from "./sqlite-conversation-store.js";

const { freshDatabasePath } = temporarySqlite();

describeConversationStoreContract(
  "SqliteConversationStore on a file",
  async (): Promise<ConversationStoreUnderTest> => {
    const store = new SqliteConversationStore(openSqliteDatabase(await freshDatabasePath()));
    return { store, cleanup: () => store.close() };
  },
);
