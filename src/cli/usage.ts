/**
 * `--help` texts, generated from the command specs so they cannot drift from what is parsed.
 */
import type { CliCommand, OptionSpec } from "./command.js";
import { GLOBAL_OPTIONS, unshadowedGlobals } from "./global-options.js";

const SERVE_LINE = "serve [--config FILE] [--host HOST] [--port PORT]";

/** `patchbay --help`. */
export function topUsage(commands: readonly CliCommand[]): string {
  const lines = [
    [SERVE_LINE, "run the Patchbay server (patchbay serve --help for details)"] as const,
    ...commands.map(
      (command) =>
        [`${commandName(command)} ${synopsis(command)}`.trim(), command.summary] as const,
    ),
  ];
  return [
    "Usage: patchbay [global options] <command> [arguments] [options]",
    "",
    "Commands:",
    ...columns(lines),
    "",
    "Global options (before the command, or after it when the command has no flag of that name):",
    ...optionLines(GLOBAL_OPTIONS),
    "",
    "Exit codes: 0 ok, 1 API error, 2 usage error, 3 server unreachable.",
    "Run 'patchbay <command> --help' for a command's options.",
    "",
  ].join("\n");
}

/** `patchbay connectors --help`. */
export function groupUsage(group: string, commands: readonly CliCommand[]): string {
  const own = commands.filter((command) => command.group === group);
  return [
    `Usage: patchbay [global options] ${group} <${own.map((command) => command.name).join("|")}> …`,
    "",
    ...columns(
      own.map((command) => [
        `${commandName(command)} ${synopsis(command)}`.trim(),
        command.summary,
      ]),
    ),
    "",
    `Run 'patchbay ${group} <command> --help' for a command's options.`,
    "",
  ].join("\n");
}

/** `patchbay connectors create --help`. */
export function commandUsage(command: CliCommand): string {
  const note =
    "url" in command.options
      ? [
          "",
          "Here --url is the object's URL: give the server's before the command, or in PATCHBAY_URL.",
        ]
      : [];
  return [
    `Usage: patchbay [global options] ${commandName(command)} ${synopsis(command)}`.trimEnd(),
    "",
    command.summary,
    ...(Object.keys(command.options).length > 0
      ? ["", "Options:", ...optionLines(command.options)]
      : []),
    "",
    "Global options:",
    ...optionLines(unshadowedGlobals(command.options)),
    ...note,
    "",
  ].join("\n");
}

/** `connectors create`. */
export function commandName(command: CliCommand): string {
  return `${command.group} ${command.name}`;
}

function synopsis(command: CliCommand): string {
  const args = command.arguments.map((name) => `<${name}>`).join(" ");
  const options = Object.keys(command.options).length > 0 ? "[options]" : "";
  return [args, options].filter(Boolean).join(" ");
}

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  return columns(
    Object.entries(options).map(([name, spec]) => {
      const short = spec.short === undefined ? "" : `-${spec.short}, `;
      const value = spec.type === "string" ? ` ${spec.value ?? "VALUE"}` : "";
      return [`${short}--${name}${value}`, spec.description];
    }),
  );
}

function columns(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
