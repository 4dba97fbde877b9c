import { describe, expect, it } from "vitest";
import { configFixtureFolder } from "../../test/support/config-fixture-folder.js";
import { ConfigError } from "../errors/config-error.js";
import { loadConfig } from "./load-config.js";

const { writeFixture } = configFixtureFolder();

const load = (storage: string, env: Record<string, string> = {}) =>
  loadConfig({ path: writeFixture(`storage:\n${storage}\n`), env }).storage.retentionDays;

function issuesOf(storage: string): string[] {
  try {
    load(storage);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

describe("storage.retention_days", () => {
  it("is off by default and when null", () => {
    expect(load("  backends: {}")).toBeNull();
    expect(load("  retention_days: null")).toBeNull();
  });

  it("takes a whole number of days, from the environment too", () => {
    expect(load("  retention_days: 30")).toBe(30);
    expect(load("  retention_days: ${env.RETENTION:=7}")).toBe(7);
    expect(load("  retention_days: ${env.RETENTION}", { RETENTION: "90" })).toBe(90);
  });

  it.each([
    ["0", "storage.retention_days: expected an integer >= 1"],
    ["-3", "storage.retention_days: expected an integer >= 1"],
    ["1.5", "storage.retention_days: expected an integer"],
    ["36501", "storage.retention_days: expected an integer <= 36500"],
    ["thirty", "storage.retention_days: expected an integer"],
    ['"30 days"', "storage.retention_days: expected an integer"],
  ])("refuses %s", (value, issue) => {
    expect(issuesOf(`  retention_days: ${value}`)).toEqual([issue]);
  });
});
