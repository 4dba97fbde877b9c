// node:fs plus globSync (Node 22) for @modelcontextprotocol/conformance on Node 20; see ADR 0025.
import { cwd } from "node:process";
import { globSync as tinyGlobSync } from "tinyglobby";

export * from "node:fs";

/** fs.globSync's call shape as the suite uses it: `globSync(pattern, { cwd })`. */
export function globSync(pattern, options = {}) {
  return tinyGlobSync(pattern, { cwd: options.cwd ?? cwd() });
}
