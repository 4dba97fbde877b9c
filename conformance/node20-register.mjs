// `node --import ./conformance/node20-register.mjs`: installs node20-hooks.mjs; see ADR 0025.
import { register } from "node:module";

if (!("globSync" in (await import("node:fs")))) {
  register("./node20-hooks.mjs", import.meta.url);
}
