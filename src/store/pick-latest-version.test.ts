import { describe, expect, it } from "vitest";
import { compareRegistryVersions, pickLatestVersion } from "./pick-latest-version.js";

const at = (version: string, publishedAt: string | null = null) => ({ version, publishedAt });
const order = (left: string, right: string) =>
  Math.sign(compareRegistryVersions(at(left), at(right)));

describe("compareRegistryVersions", () => {
  it("orders semver by precedence, not by string", () => {
    expect(order("1.10.0", "1.9.0")).toBe(1);
    expect(order("2.0.0", "10.0.0")).toBe(-1);
    expect(order("v1.2.3", "1.2.2")).toBe(1);
    expect(order("123456789012345678901.0.0", "123456789012345678900.0.0")).toBe(1);
  });

  it("ranks prereleases below their release, by semver identifier rules", () => {
    expect(order("1.0.0-rc.1", "1.0.0")).toBe(-1);
    expect(order("1.0.0-alpha", "1.0.0-alpha.1")).toBe(-1);
    expect(order("1.0.0-alpha.10", "1.0.0-alpha.9")).toBe(1);
    expect(order("1.0.0-2", "1.0.0-beta")).toBe(-1);
    expect(order("1.0.1-rc.1", "1.0.0")).toBe(1);
  });

  it("ranks every semver version above non-semver, and non-semver by publishedAt", () => {
    expect(order("0.0.1", "2025.10")).toBe(1);
    expect(order("1.2", "1.1.0")).toBe(-1);
    expect(order("01.0.0", "0.0.1")).toBe(-1);
    const older = at("snapshot-b", "2025-01-01T00:00:00Z");
    const newer = at("snapshot-a", "2025-02-01T00:00:00.5+01:00");
    expect(Math.sign(compareRegistryVersions(newer, older))).toBe(1);
    expect(Math.sign(compareRegistryVersions(at("x", null), older))).toBe(-1);
  });

  it("breaks ties deterministically: build metadata by publish time, then by string", () => {
    const first = at("1.0.0+build.1", "2025-01-01T00:00:00Z");
    const second = at("1.0.0+build.2", "2025-01-02T00:00:00Z");
    expect(Math.sign(compareRegistryVersions(second, first))).toBe(1);
    expect(Math.sign(compareRegistryVersions(at("b"), at("a")))).toBe(1);
  });
});

describe("pickLatestVersion", () => {
  it("returns null for no candidates and the maximum otherwise", () => {
    expect(pickLatestVersion([])).toBeNull();
    expect(pickLatestVersion([at("1.9.0"), at("1.10.0"), at("1.10.0-rc.1")])?.version).toBe(
      "1.10.0",
    );
  });
});
