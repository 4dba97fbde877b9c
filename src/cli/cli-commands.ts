/**
 * Every `patchbay <group> <action>` command, in help order (issue 6 item 4). `serve` is not here:
 * it hands its flags to the server's own entry point unparsed (see `main.ts`).
 */
import type { CliCommand } from "./command.js";
import {
  connectorsGetCommand,
  connectorsListCommand,
  connectorsToolsCommand,
} from "./connectors-read-commands.js";
import { connectorsProbeCommand } from "./connectors-probe-command.js";
import {
  connectorsCreateCommand,
  connectorsDeleteCommand,
  connectorsUpdateCommand,
} from "./connectors-write-commands.js";
import {
  registriesAddCommand,
  registriesListCommand,
  registriesRemoveCommand,
  registriesSyncCommand,
  registriesUpdateCommand,
} from "./registries-commands.js";

/** The command table `runCli` dispatches on. */
export const CLI_COMMANDS: readonly CliCommand[] = [
  connectorsListCommand,
  connectorsGetCommand,
  connectorsToolsCommand,
  connectorsProbeCommand,
  connectorsCreateCommand,
  connectorsUpdateCommand,
  connectorsDeleteCommand,
  registriesListCommand,
  registriesAddCommand,
  registriesUpdateCommand,
  registriesRemoveCommand,
  registriesSyncCommand,
];
