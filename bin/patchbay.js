#!/usr/bin/env node
/**
 * The `patchbay` executable (package.json `bin`): registers tsx and runs the TypeScript CLI
 * (`src/cli/main.ts`). Every path is resolved from this file, not the working directory, so the
 * command works from anywhere (and through npm's bin symlinks, which Node resolves to this file).
 */
import { fileURLToPath, URL } from "node:url";
import { register } from "tsx/esm/api";

const root = new URL("../", import.meta.url);
register({ tsconfig: fileURLToPath(new URL("tsconfig.json", root)) });
await import(new URL("src/cli/main.ts", root).href);
