/**
 * run.yaml files for the config loader tests, written to one temp folder per test file, which is
 * removed after the file's tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

export interface ConfigFixtureFolder {
  /** Writes `text` to a new file in the folder and returns its path. */
  writeFixture(text: string): string;
  /** The path of `name` in the folder, without writing it: a file that does not exist. */
  pathIn(name: string): string;
}

/** Call at a test file's top level: it registers the hooks that make and remove the folder. */
export function configFixtureFolder(): ConfigFixtureFolder {
  let directory = "";
  let fixtureCount = 0;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), "patchbay-config-"));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });
  return {
    writeFixture(text) {
      fixtureCount += 1;
      const path = join(directory, `run-${fixtureCount}.yaml`);
      writeFileSync(path, text);
      return path;
    },
    pathIn: (name) => join(directory, name),
  };
}
