/**
 * `patchbay` without the process: argv and env in, text out, an exit code back (issue 6 item 4).
 * The one place that maps failures to exit codes — 0 ok, 1 API error (`error: <message> (<status>
 * <code>)`), 2 usage error, 3 server unreachable — so every command reports them the same way.
 */
import { ApiClient } from "./api-client.js";
import {
  ApiRequestError,
  EXIT_API_ERROR,
  EXIT_OK,
  EXIT_UNREACHABLE,
  EXIT_USAGE,
  ServerUnreachableError,
  UsageError,
} from "./cli-errors.js";
import { CLI_COMMANDS } from "./cli-commands.js";
import { CommandOptions, type CliCommand, type RawOptionValues } from "./command.js";
import { parseStrict, splitLeadingGlobals, unshadowedGlobals } from "./global-options.js";
import { Output, type TextSink } from "./output.js";
import { commandName, commandUsage, groupUsage, topUsage } from "./usage.js";

/** Default server when neither `--url` nor `PATCHBAY_URL` is given (PRODUCT.md §2 default port). */
export const DEFAULT_URL = "http://127.0.0.1:8321";

/** What the CLI needs from its process; tests pass their own. */
export interface CliEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  stdout: TextSink;
  stderr: TextSink;
  /** Runs the server with `patchbay serve`'s flags; resolves once it has started. */
  serve: (args: string[]) => Promise<void>;
  fetch?: typeof fetch;
}

/** Runs one invocation; `null` means the process must keep running (`serve`). */
export async function runCli(
  argv: readonly string[],
  environment: CliEnvironment,
): Promise<number | null> {
  try {
    return await dispatch(argv, environment);
  } catch (error) {
    return report(error, environment.stderr);
  }
}

async function dispatch(
  argv: readonly string[],
  environment: CliEnvironment,
): Promise<number | null> {
  const { stdout } = environment;
  const leading = splitLeadingGlobals(argv);
  const [group, action, ...rest] = leading.rest;
  const wantsHelp = leading.values.help === true || leading.rest.some(isHelpFlag);
  if (group === undefined) {
    if (!wantsHelp) throw new UsageError("missing command");
    stdout.write(topUsage(CLI_COMMANDS));
    return EXIT_OK;
  }
  if (group === "serve") {
    const serveArgs = leading.rest.slice(1);
    await environment.serve(leading.values.help === true ? ["--help", ...serveArgs] : serveArgs);
    return null;
  }
  if (!CLI_COMMANDS.some((command) => command.group === group))
    throw new UsageError(`unknown command '${group}'`);
  if (action === undefined || action.startsWith("-")) {
    if (!wantsHelp) throw new UsageError(`missing ${group} command`, { command: group });
    stdout.write(groupUsage(group, CLI_COMMANDS));
    return EXIT_OK;
  }
  const command = CLI_COMMANDS.find(
    (candidate) => candidate.group === group && candidate.name === action,
  );
  if (!command) throw new UsageError(`unknown command '${group} ${action}'`, { command: group });
  return runCommand(command, rest, leading.values, environment);
}

async function runCommand(
  command: CliCommand,
  args: readonly string[],
  leading: RawOptionValues,
  environment: CliEnvironment,
): Promise<number> {
  const name = commandName(command);
  const parsed = parseStrict(
    args,
    { ...unshadowedGlobals(command.options), ...command.options },
    name,
  );
  if (parsed.values.help === true || leading.help === true) {
    environment.stdout.write(commandUsage(command));
    return EXIT_OK;
  }
  if (parsed.positionals.length !== command.arguments.length) {
    const expected =
      command.arguments.map((argument) => `<${argument}>`).join(" ") || "no arguments";
    throw new UsageError(`expected ${expected}, got ${describeWords(parsed.positionals)}`, {
      command: name,
    });
  }
  const global = (flag: string) =>
    (flag in command.options ? undefined : parsed.values[flag]) ?? leading[flag];
  const client = new ApiClient({
    baseUrl: serverUrl(
      stringOf(global("url")) ?? environment.env.PATCHBAY_URL ?? DEFAULT_URL,
      name,
    ),
    apiKey: stringOf(global("api-key")) ?? (environment.env.PATCHBAY_API_KEY || undefined),
    ...(environment.fetch ? { fetch: environment.fetch } : {}),
  });
  const output = new Output(environment.stdout, environment.stderr, global("json") === true);
  await command.run({
    args: parsed.positionals,
    options: new CommandOptions(parsed.values, name),
    client,
    output,
  });
  return EXIT_OK;
}

function report(error: unknown, stderr: TextSink): number {
  if (error instanceof UsageError) {
    const help = error.command === null ? "patchbay --help" : `patchbay ${error.command} --help`;
    stderr.write(`error: ${error.message}\nRun '${help}' for usage.\n`);
    return EXIT_USAGE;
  }
  if (error instanceof ApiRequestError) {
    const detail = [error.status, error.code].filter((part) => part !== null).join(" ");
    stderr.write(`error: ${error.message} (${detail})\n`);
    return EXIT_API_ERROR;
  }
  if (error instanceof ServerUnreachableError) {
    stderr.write(`error: ${error.message}\n`);
    return EXIT_UNREACHABLE;
  }
  throw error;
}

function serverUrl(value: string, command: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new UsageError(`--url: not a URL: '${value}'`, { command, cause: error });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`--url: expected http:// or https://, got '${value}'`, { command });
  return value;
}

function stringOf(value: RawOptionValues[string]): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function isHelpFlag(word: string): boolean {
  return word === "--help" || word === "-h";
}

function describeWords(words: readonly string[]): string {
  return words.length === 0 ? "none" : words.map((word) => `'${word}'`).join(" ");
}
