import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors/config-error.js";
import { parseCliArgs } from "./parse-cli-args.js";

describe("parseCliArgs", () => {
  it("returns only help:false with no arguments", () => {
    expect(parseCliArgs([])).toEqual({ help: false });
  });

  it("reads --config, --host and --port", () => {
    const args = parseCliArgs(["--config", "run.yaml", "--host", "0.0.0.0", "--port=9000"]);
    expect(args).toEqual({ configPath: "run.yaml", host: "0.0.0.0", port: 9000, help: false });
  });

  it("reads --help and its short form", () => {
    expect(parseCliArgs(["--help"]).help).toBe(true);
    expect(parseCliArgs(["-h"]).help).toBe(true);
  });

  it.each([["abc"], ["-1"], ["65536"], ["80.5"], [""]])("rejects --port %j", (port) => {
    expect(() => parseCliArgs(["--port", port])).toThrow(ConfigError);
  });

  it("rejects unknown flags and positional arguments", () => {
    expect(() => parseCliArgs(["--verbose"])).toThrow(ConfigError);
    expect(() => parseCliArgs(["run.yaml"])).toThrow(ConfigError);
  });

  it("names the flag in the issue", () => {
    try {
      parseCliArgs(["--port", "http"]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(error instanceof ConfigError ? error.issues : []).toEqual([
        "--port: expected an integer from 0 to 65535, got 'http'",
      ]);
    }
  });
});
