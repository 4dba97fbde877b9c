/**
 * Patchbay's version from its package.json, read once by whoever needs it at startup (the OpenAPI
 * document's `info.version`). A file read rather than a JSON module import: `import … with
 * { type: "json" }` is a syntax error on Node 20.9, which `engines` still allows. The path holds
 * from both `src/lib` (tsx) and `dist/lib` (the build).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

const PackageJsonSchema = z.looseObject({ version: z.string().min(1) });

export function readPackageVersion(): string {
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return PackageJsonSchema.parse(JSON.parse(text)).version;
}
