/**
 * Global flags (`--url`, `--api-key`, `--json`, `--help`) and where they may stand. Before the
 * command they are always global; after it they are global too, unless the command has a flag of
 * the same name: `connectors create --url` is the connector's URL, so the server's URL then goes
 * before the command (`patchbay --url http://host:8321 connectors create --url …`) or in
 * `PATCHBAY_URL`.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./cli-errors.js";
import type { OptionSpec, RawOptionValues } from "./command.js";

/** The flags every command accepts. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  url: {
    type: "string",
    value: "URL",
    description: "Patchbay server (default $PATCHBAY_URL or http://127.0.0.1:8321)",
  },
  "api-key": { type: "string", value: "KEY", description: "API key (default $PATCHBAY_API_KEY)" },
  json: { type: "boolean", description: "print the server's JSON instead of a table" },
  help: { type: "boolean", short: "h", description: "show help" },
};

/** The global flags a command accepts after its name: those it does not shadow with its own. */
export function unshadowedGlobals(
  options: Readonly<Record<string, OptionSpec>>,
): Record<string, OptionSpec> {
  return Object.fromEntries(Object.entries(GLOBAL_OPTIONS).filter(([flag]) => !(flag in options)));
}

/** The global flags before the command, and the words from the command on. */
export interface LeadingGlobals {
  values: RawOptionValues;
  rest: string[];
}

/** `parseArgs`'s `options` (the type is not exported by @types/node 20). */
type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** `node:util` `parseArgs` option config from our specs. */
export function toParseArgsOptions(
  specs: Readonly<Record<string, OptionSpec>>,
): ParseArgsOptionsConfig {
  const config: ParseArgsOptionsConfig = {};
  for (const [name, spec] of Object.entries(specs)) {
    config[name] = {
      type: spec.type,
      ...(spec.multiple ? { multiple: true } : {}),
      ...(spec.short === undefined ? {} : { short: spec.short }),
    };
  }
  return config;
}

/** Splits `argv` at the first positional word (the command group). */
export function splitLeadingGlobals(argv: readonly string[]): LeadingGlobals {
  const options = toParseArgsOptions(GLOBAL_OPTIONS);
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const first = tokens.find(
    (token) => token.kind === "positional" || token.kind === "option-terminator",
  );
  const end = first?.index ?? argv.length;
  const skip = first?.kind === "option-terminator" ? 1 : 0;
  const values = parseStrict(argv.slice(0, end), GLOBAL_OPTIONS, null).values;
  return { values, rest: argv.slice(end + skip) };
}

/** Strict `parseArgs`; an unknown flag or a missing value is a `UsageError`. */
export function parseStrict(
  args: readonly string[],
  specs: Readonly<Record<string, OptionSpec>>,
  command: string | null,
): { values: RawOptionValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: toParseArgsOptions(specs),
      strict: true,
      allowPositionals: command !== null,
    });
    return { values, positionals };
  } catch (error) {
    throw new UsageError(describeParseError(error), { command, cause: error });
  }
}

/** parseArgs's unknown-option message is a paragraph; the flag's name is what matters. */
function describeParseError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = "code" in error ? error.code : undefined;
  const flag = /'([^']+)'/.exec(error.message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && flag !== undefined)
    return `unknown option '${flag}'`;
  return error.message;
}
