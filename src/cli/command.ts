/**
 * The shape every `patchbay <group> <action>` command has: its positional arguments, its flags
 * (which also drive `--help`), and `run`. `CommandOptions` gives typed access to parsed flags and
 * turns a malformed value into a `UsageError` naming the flag.
 */
import type { ApiClient } from "./api-client.js";
import { UsageError } from "./cli-errors.js";
import type { Output } from "./output.js";

/** One flag: `--name <value>` (`string`) or `--name` (`boolean`); `multiple` may repeat. */
export interface OptionSpec {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
  /** Placeholder in help (`ETAG`, `K=V`). */
  value?: string;
  description: string;
}

/** What `run` receives: positionals in `arguments` order, the flags, the client and the printer. */
export interface CommandInput {
  args: readonly string[];
  options: CommandOptions;
  client: ApiClient;
  output: Output;
}

/** A `patchbay <group> <action>` command. */
export interface CliCommand {
  group: "connectors" | "registries";
  name: string;
  /** Required positional arguments, by name (`id`). */
  arguments: readonly string[];
  summary: string;
  options: Readonly<Record<string, OptionSpec>>;
  run(input: CommandInput): Promise<void>;
}

/** Values as `node:util` `parseArgs` returns them. */
export type RawOptionValues = Record<
  string,
  string | boolean | Array<string | boolean> | undefined
>;

/** Typed reads of parsed flags; malformed values are usage errors (exit 2). */
export class CommandOptions {
  constructor(
    private readonly values: RawOptionValues,
    /** `connectors create`, for error messages. */
    readonly command: string,
  ) {}

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  /** Names of the given flags among `names`. */
  given(names: Iterable<string>): string[] {
    return [...names].filter((name) => this.has(name));
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === "string" ? value : undefined;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === "")
      throw new UsageError(`--${name} is required`, { command: this.command });
    return value;
  }

  strings(name: string): string[] | undefined {
    const value = this.values[name];
    if (!Array.isArray(value)) return undefined;
    return value.filter((item): item is string => typeof item === "string");
  }

  /** A positive integer flag (`--timeout-ms 5000`). */
  integer(name: string, minimum = 1): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < minimum)
      throw new UsageError(`--${name}: expected an integer ≥ ${minimum}, got '${value}'`, {
        command: this.command,
      });
    return parsed;
  }

  /** Repeated `--header K=V` flags as an object (later wins). */
  keyValues(name: string): Record<string, string> | undefined {
    const pairs = this.strings(name);
    if (pairs === undefined) return undefined;
    const result: Record<string, string> = {};
    for (const pair of pairs) {
      const separator = pair.indexOf("=");
      if (separator <= 0)
        throw new UsageError(`--${name}: expected NAME=VALUE, got '${pair}'`, {
          command: this.command,
        });
      result[pair.slice(0, separator).trim()] = pair.slice(separator + 1);
    }
    return result;
  }
}
