import { describeBackgroundRunStoreContract } from "../../../test/contract/background-run-store-contract.js";
import { temporarySqlite } from "../../../test/support/temporary-sqlite.js";
import { openSqliteDatabase } from "./open-sqlite-database.js";
import { SqliteBackgroundRunStore } from "./sqlite-background-run-store.js";
import { SqliteResponseStore } from "./sqlite-response-store.js";

const { freshDatabasePath } = temporarySqlite();

describeBackgroundRunStoreContract("SqliteBackgroundRunStore", async () => {
  const database = openSqliteDatabase(await freshDatabasePath());
  const responses = new SqliteResponseStore(database);
  return {
    responses,
    runs: new SqliteBackgroundRunStore(database),
    cleanup: () => responses.close(),
  };
});
