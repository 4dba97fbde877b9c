import { parseArgs } from "node:util";
import { ConfigError } from "../errors/config-error.js";

/** Command-line settings; absent flags are absent keys, so `loadConfig` falls back to the file. */
export interface CliArgs {
  /** `--config`; `main.ts` falls back to `PATCHBAY_CONFIG`. */
  configPath?: string;
  host?: string;
  port?: number;
  help: boolean;
}

/**
 * Parses `--config <file>`, `--host <host>`, `--port <port>` and `--help` (PRODUCT.md §2: the
 * flags win over the file). An unknown flag, a positional argument or a bad port is a
 * `ConfigError`, so a typo exits with code 2 instead of starting with unintended settings.
 */
export function parseCliArgs(argv: string[]): CliArgs {
  const values = readFlags(argv);
  const issues: string[] = [];
  const result: CliArgs = { help: values.help ?? false };
  if (values.config !== undefined) {
    if (values.config.trim() === "") issues.push("--config: expected a file path");
    else result.configPath = values.config;
  }
  if (values.host !== undefined) {
    if (values.host.trim() === "") issues.push("--host: expected a host name or address");
    else result.host = values.host;
  }
  if (values.port !== undefined) {
    const port = /^\d+$/.test(values.port) ? Number(values.port) : Number.NaN;
    if (Number.isInteger(port) && port >= 0 && port <= 65_535) result.port = port;
    else issues.push(`--port: expected an integer from 0 to 65535, got '${values.port}'`);
  }
  if (issues.length > 0) {
    throw new ConfigError(issues);
  }
  return result;
}

function readFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        config: { type: "string", short: "c" },
        host: { type: "string" },
        port: { type: "string", short: "p" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new ConfigError([error instanceof Error ? error.message : String(error)], {
      cause: error,
    });
  }
}
