/**
 * Runs the scripted model as its own process for benchmarks: every request gets the same short
 * text answer. Prints its base URL as the first stdout line.
 */
import { startScriptedModel } from "../../test/support/scripted-model-server.js";

const model = await startScriptedModel({
  fallback: { text: "Hello from the benchmark model", chunks: 4 },
  record: false,
});
process.stdout.write(`${model.url}\n`);
process.on("SIGTERM", () => {
  void model.close().then(() => process.exit(0));
});
