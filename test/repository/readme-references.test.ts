/**
 * The README tells the truth about what it names (issue 11 §7): every `npm run` script, every
 * `patchbay <group> <command>` (with its flags) and every HTTP route it shows exists. Routes are
 * matched against the real app's mounted route table, so a renamed or removed route, script or
 * CLI flag fails here rather than in a newcomer's terminal.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { CLI_COMMANDS } from "../../src/cli/cli-commands.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** The fenced code blocks, each as its text. */
function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? "");
}

/** Shell lines of the code blocks, with `\`-continued lines joined and comments dropped. */
function shellLines(markdown: string): string[] {
  return codeBlocks(markdown)
    .flatMap((block) => block.replace(/\\\n\s*/g, " ").split("\n"))
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** `npm run x`, and the scripts npm runs by their own name (`npm start`, `npm test`), anywhere. */
function npmScripts(markdown: string): string[] {
  const named = new Set<string>();
  for (const match of markdown.matchAll(
    /\bnpm (?:run ([a-z][\w:-]*)|(start|test|stop|restart)\b)/g,
  ))
    named.add(match[1] ?? match[2] ?? "");
  return [...named].sort();
}

interface RouteReference {
  method: string;
  path: string;
  source: string;
}

/** `GET /v1/…` in prose and tables, and the URLs of `curl` lines in code blocks. */
function routeReferences(markdown: string): RouteReference[] {
  const references: RouteReference[] = [];
  for (const match of markdown.matchAll(/\b(GET|POST|PUT|PATCH|DELETE) (\/[\w./{}%:@-]*)/g)) {
    const method = match[1] ?? "";
    const path = match[2] ?? "";
    if (!isOwnPath(path)) continue;
    references.push({ method, path, source: match[0] });
  }
  for (const line of shellLines(markdown)) {
    if (!/^curl\b/.test(line)) continue;
    const url = /(?:https?:\/\/)?(?:localhost|127\.0\.0\.1):\d+(\/[^\s'"]*)/.exec(line)?.[1];
    if (url === undefined) continue;
    const explicit = /(?:^|\s)-X\s+([A-Z]+)/.exec(line)?.[1];
    const method = explicit ?? (/\s(-d|--data\S*)\s/.test(line) ? "POST" : "GET");
    references.push({ method, path: url.replace(/[?#].*$/, ""), source: line.slice(0, 120) });
  }
  return references;
}

/** Paths Patchbay itself serves (registry API paths of other servers are named in prose too). */
function isOwnPath(path: string): boolean {
  return /^\/(v1|v1beta|v0\.1|health|ready|metrics|openapi\.json|docs)\b/.test(path);
}

/** A mounted route as a matcher: `:id` and `:id{regex}` match one segment, `*` the rest. */
function routeMatcher(path: string): RegExp {
  const pattern = path
    .split("/")
    .map((segment) =>
      segment === "*"
        ? ".*"
        : segment.startsWith(":")
          ? "[^/]+"
          : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${pattern}/?$`);
}

/** A README path as a concrete one: `{connector_id}`-style placeholders become one segment. */
function concretePath(path: string): string {
  return path.replace(/\{[^}/]+\}/g, "x").replace(/\.$/, "");
}

let model: ScriptedModel;
let patchbay: TestPatchbay;

beforeAll(async () => {
  model = await startScriptedModel();
  patchbay = await startPatchbay({ modelUrl: model.url });
});
afterAll(async () => {
  await patchbay.close();
  await model.close();
});

describe("README references", () => {
  it("names only npm scripts that package.json defines", () => {
    const scripts = npmScripts(readme);
    expect(scripts).toContain("start");
    expect(scripts).toContain("test");
    const defined = Object.keys(packageJson.scripts);
    expect(scripts.filter((script) => !defined.includes(script))).toEqual([]);
  });

  it("shows only patchbay commands and flags the CLI has", () => {
    const lines = shellLines(readme).filter((line) => /^(npx )?patchbay\s/.test(line));
    expect(lines.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const line of lines) {
      const words = line.replace(/^npx /, "").split(/\s+/);
      const [, group, name] = words;
      if (group === "serve") continue;
      const command = CLI_COMMANDS.find((entry) => entry.group === group && entry.name === name);
      if (!command) {
        problems.push(`${line}: no command '${group} ${name}'`);
        continue;
      }
      for (const flag of words.filter((word) => word.startsWith("--"))) {
        const option = flag.slice(2).replace(/=.*$/, "");
        const global = ["url", "api-key", "json", "help"].includes(option);
        if (!global && !(option in command.options))
          problems.push(`${line}: '${group} ${name}' has no --${option}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("names only HTTP routes the app mounts, with their methods", () => {
    const mounted = patchbay.runtime.app.hono.routes
      .filter((route) => route.method !== "ALL")
      .map((route) => ({ method: route.method, matcher: routeMatcher(route.path) }));
    const references = routeReferences(readme);
    expect(references.length).toBeGreaterThan(10);
    const missing = references.filter(
      (reference) =>
        !mounted.some(
          (route) =>
            route.method === reference.method && route.matcher.test(concretePath(reference.path)),
        ),
    );
    expect(missing.map((reference) => `${reference.method} ${reference.path}`)).toEqual([]);
  });
});

describe("README reference extraction", () => {
  it("finds scripts, routes and commands in the shapes the README uses", () => {
    const sample = [
      "Run `npm run lint` or `npm test`; `npm ci` installs.",
      "`GET /v1/connectors/{connector_id}` lists one.",
      "```bash",
      "curl -s -X PATCH localhost:8321/v1/admin/connectors/github \\",
      "  -H 'x: y'",
      "curl -s 'localhost:8321/v1/connectors?limit=2'",
      "curl http://127.0.0.1:8321/v1/responses -d '{}'",
      "```",
    ].join("\n");
    expect(npmScripts(sample)).toEqual(["lint", "test"]);
    expect(routeReferences(sample).map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      "GET /v1/connectors/{connector_id}",
      "PATCH /v1/admin/connectors/github",
      "GET /v1/connectors",
      "POST /v1/responses",
    ]);
    expect(routeMatcher("/v1/connectors/:connector_id").test("/v1/connectors/x")).toBe(true);
    expect(routeMatcher("/v1/connectors/:connector_id").test("/v1/connectors/x/tools")).toBe(false);
  });
});
