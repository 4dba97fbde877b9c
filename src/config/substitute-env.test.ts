import { describe, expect, it } from "vitest";
import { isPlainObject, substituteEnv } from "./substitute-env.js";

describe("substituteEnv", () => {
  it("replaces ${env.NAME} with the variable, also inside a longer string", () => {
    const result = substituteEnv(
      { url: "https://${env.HOST}:${env.PORT}/mcp" },
      { HOST: "example.com", PORT: "8443" },
    );
    expect(result).toEqual({
      value: { url: "https://example.com:8443/mcp" },
      issues: [],
      unsetPaths: [],
    });
  });

  it("keeps a set-but-empty ${env.NAME} as the empty string", () => {
    expect(substituteEnv("${env.EMPTY}", { EMPTY: "" })).toEqual({
      value: "",
      issues: [],
      unsetPaths: [],
    });
  });

  it("reports an unset ${env.NAME} with the variable and the path", () => {
    const tree = { providers: { inference: [{ config: { api_key: "${env.X}" } }] } };
    const result = substituteEnv(tree, {});
    expect(result.issues).toEqual([
      "providers.inference[0].config.api_key: environment variable 'X' is not set",
    ]);
    expect(result.unsetPaths).toEqual(["providers.inference[0].config.api_key"]);
  });

  it("prefixes issues with the given base path", () => {
    const result = substituteEnv({ key: "${env.MISSING}" }, {}, "server.auth.api_keys[1]");
    expect(result.issues).toEqual([
      "server.auth.api_keys[1].key: environment variable 'MISSING' is not set",
    ]);
  });

  it("reports every unset variable, not only the first", () => {
    const result = substituteEnv({ a: "${env.A}-${env.B}", b: ["${env.C}"] }, {});
    expect(result.issues).toEqual([
      "a: environment variable 'A' is not set",
      "a: environment variable 'B' is not set",
      "b[0]: environment variable 'C' is not set",
    ]);
  });

  it("uses the := default when the variable is unset or empty", () => {
    const text = "${env.PORT:=8321}";
    expect(substituteEnv(text, {}).value).toBe("8321");
    expect(substituteEnv(text, { PORT: "" }).value).toBe("8321");
    expect(substituteEnv(text, { PORT: "9000" }).value).toBe("9000");
    expect(substituteEnv("${env.KEY:=}", {}).value).toBe("");
  });

  it("keeps a default that contains colons and slashes", () => {
    const result = substituteEnv("${env.BASE:=http://127.0.0.1:11434/v1}", {});
    expect(result.value).toBe("http://127.0.0.1:11434/v1");
  });

  it("uses the :+ value only when the variable is set and non-empty", () => {
    const text = "${env.OLLAMA_URL:+ollama}";
    expect(substituteEnv(text, { OLLAMA_URL: "http://x" }).value).toBe("ollama");
    expect(substituteEnv(text, { OLLAMA_URL: "" }).value).toBe("");
    expect(substituteEnv(text, {}).value).toBe("");
    expect(substituteEnv(text, {}).issues).toEqual([]);
  });

  it("leaves keys, numbers, booleans, null and text without references unchanged", () => {
    const tree = { "${env.K}": 1, flag: true, none: null, plain: "$HOME {env.X} $${y}" };
    expect(substituteEnv(tree, { K: "k" })).toEqual({ value: tree, issues: [], unsetPaths: [] });
  });

  it("does not substitute recursively into a variable's value", () => {
    expect(substituteEnv("${env.A}", { A: "${env.B}" }).value).toBe("${env.B}");
  });

  it("does not modify its input", () => {
    const tree = { list: ["${env.A}"] };
    substituteEnv(tree, { A: "a" });
    expect(tree).toEqual({ list: ["${env.A}"] });
  });
});

describe("isPlainObject", () => {
  it("accepts mappings and rejects arrays, null and class instances", () => {
    expect(isPlainObject({ a: 1 })).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(null)).toBe(false);
    expect(isPlainObject(new Date())).toBe(false);
  });
});
