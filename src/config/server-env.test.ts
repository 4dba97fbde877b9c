import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors/config-error.js";
import { readServerEnv } from "./server-env.js";

function issuesOf(env: Record<string, string>): string[] {
  try {
    readServerEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("readServerEnv", () => {
  it("defaults every variable, an empty value counting as unset", () => {
    expect(readServerEnv({ PATCHBAY_SHUTDOWN_GRACE_MS: "", PATCHBAY_LOG_LEVEL: " " })).toEqual({
      configPath: undefined,
      logLevel: "info",
      logFormat: undefined,
      shutdownGraceMs: 10_000,
    });
  });

  it("reads each variable, levels and formats in any case", () => {
    expect(
      readServerEnv({
        PATCHBAY_CONFIG: "run.yaml",
        PATCHBAY_LOG_LEVEL: "DEBUG",
        PATCHBAY_LOG_FORMAT: "Pretty",
        PATCHBAY_SHUTDOWN_GRACE_MS: "0",
      }),
    ).toEqual({
      configPath: "run.yaml",
      logLevel: "debug",
      logFormat: "pretty",
      shutdownGraceMs: 0,
    });
  });

  it("refuses every bad value at once, naming the variable and the value", () => {
    expect(
      issuesOf({
        PATCHBAY_LOG_LEVEL: "verbose",
        PATCHBAY_LOG_FORMAT: "text",
        PATCHBAY_SHUTDOWN_GRACE_MS: "NaN",
      }),
    ).toEqual([
      "PATCHBAY_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got 'verbose'",
      "PATCHBAY_LOG_FORMAT: expected json or pretty, got 'text'",
      "PATCHBAY_SHUTDOWN_GRACE_MS: expected an integer, got 'NaN'",
    ]);
  });

  it.each(["1.5", "-1", "3600001", "10s"])("refuses a grace period of %s", (value) => {
    expect(issuesOf({ PATCHBAY_SHUTDOWN_GRACE_MS: value })).toHaveLength(1);
  });
});
