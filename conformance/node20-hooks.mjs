// Resolve hook: the conformance suites' `fs` import gets node20-fs.mjs (node:fs plus globSync);
// the stable suite and the 2026-07-28 one (installed as `mcp-conformance-next`).
import { URL } from "node:url";

const suites = [
  "/node_modules/@modelcontextprotocol/conformance/",
  "/node_modules/mcp-conformance-next/",
];
const shim = new URL("./node20-fs.mjs", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (
    (specifier === "fs" || specifier === "node:fs") &&
    suites.some((suite) => context.parentURL?.includes(suite))
  ) {
    return { url: shim, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
