import { describe, expect, it } from "vitest";
import { closestMatch } from "./closest-match.js";

const KEYS = ["server", "storage", "providers", "connectors", "models", "version", "apis"];

describe("closestMatch", () => {
  it.each([
    ["sever", "server"],
    ["Server", "server"],
    ["sevrer", "server"],
    ["storge", "storage"],
    ["provider", "providers"],
    ["conectors", "connectors"],
    ["api", "apis"],
  ])("suggests %s → %s", (typo, meant) => {
    expect(closestMatch(typo, KEYS)).toBe(meant);
  });

  it.each(["frobnicate", "log", "srv", "xyz"])("suggests nothing for %s", (word) => {
    expect(closestMatch(word, KEYS)).toBeNull();
  });

  it("suggests nothing when two candidates are equally near", () => {
    expect(closestMatch("cat", ["bat", "hat"])).toBeNull();
  });
});
