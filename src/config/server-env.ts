import * as z from "zod";
import { ConfigError } from "../errors/config-error.js";
import { integerFromEnv } from "./config-field-schemas.js";
import type { ConfigEnv } from "./substitute-env.js";

/** pino's levels; `silent` turns logging off. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `json`: one JSON object per line (pino's format); `pretty`: coloured lines for a terminal. */
export const LOG_FORMATS = ["json", "pretty"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Default grace for in-flight responses on SIGTERM (PRODUCT.md §7). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** The server's own environment variables, validated (the config file's are read by `loadConfig`). */
export interface ServerEnv {
  /** `PATCHBAY_CONFIG`: the config file when `--config` is not given. */
  configPath: string | undefined;
  logLevel: LogLevel;
  /** `PATCHBAY_LOG_FORMAT`; unset means pretty on a terminal, JSON otherwise. */
  logFormat: LogFormat | undefined;
  shutdownGraceMs: number;
}

const ServerEnvSchema = z.object({
  PATCHBAY_CONFIG: z.string().optional(),
  PATCHBAY_LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(", ")}` })
    .default("info"),
  PATCHBAY_LOG_FORMAT: z
    .enum(LOG_FORMATS, { error: `expected ${LOG_FORMATS.join(" or ")}` })
    .optional(),
  PATCHBAY_SHUTDOWN_GRACE_MS: integerFromEnv(0, 3_600_000).default(DEFAULT_SHUTDOWN_GRACE_MS),
});

type ServerEnvName = keyof z.infer<typeof ServerEnvSchema>;
const NAMES: readonly ServerEnvName[] = ServerEnvSchema.keyof().options;

/**
 * Reads the `PATCHBAY_*` variables the server itself uses, as strictly as the config file: a bad
 * value (a grace period of `10s`, a level of `verbose`) is a `ConfigError` naming the variable and
 * the value, so the process exits with code 2 rather than running with NaN or a default the
 * operator did not ask for. An empty value counts as unset; levels and formats ignore case.
 */
export function readServerEnv(env: ConfigEnv): ServerEnv {
  const given: Partial<Record<ServerEnvName, string>> = {};
  for (const name of NAMES) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== "") {
      given[name] = name === "PATCHBAY_CONFIG" ? value : value.toLowerCase();
    }
  }
  const parsed = ServerEnvSchema.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${name}: ${issue.message}, got '${env[name] ?? ""}'`;
      }),
    );
  }
  return {
    configPath: parsed.data.PATCHBAY_CONFIG,
    logLevel: parsed.data.PATCHBAY_LOG_LEVEL,
    logFormat: parsed.data.PATCHBAY_LOG_FORMAT,
    shutdownGraceMs: parsed.data.PATCHBAY_SHUTDOWN_GRACE_MS,
  };
}
