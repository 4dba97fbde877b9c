// Resolve hook: the conformance suite's `fs` import gets node20-fs.mjs (node:fs plus globSync).
import { URL } from "node:url";

const suite = "/node_modules/@modelcontextprotocol/conformance/";
const shim = new URL("./node20-fs.mjs", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if ((specifier === "fs" || specifier === "node:fs") && context.parentURL?.includes(suite)) {
    return { url: shim, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
