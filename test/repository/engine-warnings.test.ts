/**
 * `npm ci` warns `EBADENGINE` for every dependency whose `engines.node` excludes the running Node
 * (issue 11 §8). A newcomer must not be left guessing: each such dependency is either replaced or
 * explained in the README, next to the word EBADENGINE. Reads the installed packages' own
 * `package.json`, as npm does.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: { node?: string };
}

function readPackage(path: string): PackageJson {
  return JSON.parse(readFileSync(new URL(path, root), "utf8")) as PackageJson;
}

type Version = [number, number, number];

function parseVersion(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text
    .replace(/^v/, "")
    .split(".")
    .map((part) => (/^\d+$/.test(part) ? Number(part) : 0));
  return [major, minor, patch];
}

function compare(left: Version, right: Version): number {
  for (let index = 0; index < 3; index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * The subset of npm's range syntax that `engines.node` fields use: `||` alternatives of
 * space-separated comparators (`>=`, `>`, `<=`, `<`, `=`), caret ranges and `N.x` / `N` majors.
 */
function satisfies(version: string, range: string): boolean {
  const current = parseVersion(version);
  return range.split("||").some((alternative) =>
    alternative
      .trim()
      .replace(/([<>=^~]+)\s+/g, "$1")
      .split(/\s+/)
      .filter(Boolean)
      .every((comparator) => {
        const match = /^([<>]=?|=|\^|~)?(.*)$/.exec(comparator);
        const operator = match?.[1] ?? "";
        const bound = match?.[2] ?? "";
        const wildcard = /^(\d+)(\.x)?$/.exec(bound);
        if (operator === "" && wildcard) return current[0] === Number(wildcard[1]);
        const target = parseVersion(bound);
        const order = compare(current, target);
        if (operator === ">=") return order >= 0;
        if (operator === ">") return order > 0;
        if (operator === "<=") return order <= 0;
        if (operator === "<") return order < 0;
        if (operator === "^") return current[0] === target[0] && order >= 0;
        if (operator === "~")
          return current[0] === target[0] && current[1] === target[1] && order >= 0;
        return order === 0;
      }),
  );
}

describe("engine warnings of npm ci", () => {
  it("reads npm's range forms the way npm does", () => {
    expect(satisfies("20.20.2", ">=22.0.0")).toBe(false);
    expect(satisfies("20.20.2", ">= 14.6")).toBe(true);
    expect(satisfies("20.20.2", "20.x || 22.x || 23.x")).toBe(true);
    expect(satisfies("20.20.2", "^18.18.0 || ^20.9.0 || >=21.1.0")).toBe(true);
    expect(satisfies("20.18.0", "^20.19.0 || ^22.13.0 || >=24")).toBe(false);
    expect(satisfies("24.1.0", "^20.19.0 || ^22.13.0 || >=24")).toBe(true);
  });

  it("are each explained in the README", () => {
    const project = readPackage("package.json");
    const names = [
      ...Object.keys(project.dependencies ?? {}),
      ...Object.keys(project.devDependencies ?? {}),
    ];
    const warned = names.filter((name) => {
      const range = readPackage(`node_modules/${name}/package.json`).engines?.node;
      return range !== undefined && !satisfies(process.versions.node, range);
    });
    const readme = readFileSync(new URL("README.md", root), "utf8");
    const explained = readme
      .split(/\n\s*\n/)
      .filter((paragraph) => paragraph.includes("EBADENGINE"))
      .join("\n");
    for (const name of warned) expect(explained).toContain(`\`${name}@`);
  });
});
