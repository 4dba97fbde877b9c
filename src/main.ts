/**
 * The server's entry point (`npm start`, `node dist/main.js`): the only file that hands the
 * process's own argv and environment to the composition root, `runServer` (STYLE.md "Layout").
 */
import { runServer } from "./run-server.js";

await runServer(process.argv.slice(2), process.env);
