/**
 * `npm run bench [-- <name>] [flags]`: runs one benchmark by name, or all of them in turn.
 */
const benches: Record<string, string> = {
  overhead: "./overhead.js",
  "mcp-overhead": "./mcp-overhead.js",
  "mcp-revisions": "./mcp-revisions.js",
  "registry-sync": "./registry-sync.js",
  replicas: "./replicas.js",
  propagation: "./propagation.js",
  "storage-size": "./storage-size.js",
};
const name = process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : null;
for (const [benchName, path] of Object.entries(benches)) {
  if (name && name !== benchName) continue;
  console.log(`\n== ${benchName}`);
  await import(path);
}
