import { describe, expect, it } from "vitest";
import { createRegistryNameFilter } from "./create-registry-name-filter.js";

describe("createRegistryNameFilter", () => {
  it("accepts every name when include is empty", () => {
    const accepts = createRegistryNameFilter({ include: [], exclude: [] });
    expect(accepts("io.example/anything")).toBe(true);
  });

  it("lets * span '/' and ? match exactly one character", () => {
    const accepts = createRegistryNameFilter({
      include: ["io.example*", "com.acme/?ool"],
      exclude: [],
    });
    expect(accepts("io.example/weather")).toBe(true);
    expect(accepts("io.example.sub/x")).toBe(true);
    expect(accepts("com.acme/tool")).toBe(true);
    expect(accepts("com.acme/stool")).toBe(false);
    expect(accepts("com.acme/ool")).toBe(false);
    expect(accepts("org.other/weather")).toBe(false);
  });

  it("lets exclude win over include, and treats other characters literally", () => {
    const accepts = createRegistryNameFilter({
      include: ["io.example/*"],
      exclude: ["io.example/secret-*", "io.example/a.b"],
    });
    expect(accepts("io.example/secret-sauce")).toBe(false);
    expect(accepts("io.example/public")).toBe(true);
    expect(accepts("io.example/a.b")).toBe(false);
    expect(accepts("io.example/aXb")).toBe(true);
  });

  it("is case-sensitive and anchored", () => {
    const accepts = createRegistryNameFilter({ include: ["io.example/w*"], exclude: [] });
    expect(accepts("IO.example/weather")).toBe(false);
    expect(accepts("xio.example/weather")).toBe(false);
  });
});
