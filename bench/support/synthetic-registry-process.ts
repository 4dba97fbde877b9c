/**
 * Runs the synthetic registry as its own process, so its memory and event loop stay out of the
 * numbers of the process that syncs. `--servers N` (default 20000); prints its base URL when ready.
 */
import { parseArgs } from "node:util";
import { buildSyntheticEntries, serveSyntheticRegistry } from "./synthetic-registry.js";

const { values } = parseArgs({ options: { servers: { type: "string", default: "20000" } } });
const { url, server } = await serveSyntheticRegistry(buildSyntheticEntries(Number(values.servers)));
process.stdout.write(`${url}\n`);
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
