import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { ConfigError } from "../errors/config-error.js";
import { isPlainObject } from "./substitute-env.js";

/**
 * Reads and parses the YAML config file into a plain tree (no env substitution yet). A missing
 * file or a YAML syntax error is a `ConfigError` naming the file (and line and column), so the
 * process exits with code 2 before anything starts (PRODUCT.md §2). An empty file is `{}`.
 */
export function readConfigFile(path: string): Record<string, unknown> {
  const text = readText(path);
  const document = parseDocument(text, { prettyErrors: true, merge: true });
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => {
      const position = error.linePos?.[0];
      const reason = firstLine(error.message).replace(/ at line \d+, column \d+:?$/, "");
      const where =
        position === undefined ? "" : ` at line ${position.line}, column ${position.col}`;
      return `${path}: YAML syntax error${where}: ${reason}`;
    });
    throw new ConfigError(issues);
  }
  const tree: unknown = document.toJS({ maxAliasCount: 1000 });
  if (tree === null || tree === undefined) {
    return {};
  }
  if (!isPlainObject(tree)) {
    throw new ConfigError([`${path}: expected a YAML mapping (key: value) at the top level`]);
  }
  return tree;
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    const reason =
      code === "ENOENT"
        ? "file not found"
        : `cannot read file (${error instanceof Error ? error.message : String(error)})`;
    throw new ConfigError([`${path}: ${reason}`], { cause: error });
  }
}

function firstLine(text: string): string {
  const newline = text.indexOf("\n");
  return newline === -1 ? text : text.slice(0, newline);
}
