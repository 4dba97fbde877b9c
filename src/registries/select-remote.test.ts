import { describe, expect, it } from "vitest";
import { sampleEntry } from "../../test/contract/sample-registry-entries.js";
import { RemoteSelectionError } from "../errors/remote-selection-error.js";
import type {
  RegistryHeader,
  RegistryInput,
  RegistryRemote,
  RegistryServerEntry,
} from "./registry-types.js";
import { selectRemote } from "./select-remote.js";

function input(name: string, fields: Partial<RegistryInput> = {}): RegistryInput {
  return {
    name,
    description: null,
    isRequired: false,
    isSecret: false,
    value: null,
    default: null,
    ...fields,
  };
}

function header(
  name: string,
  fields: Partial<RegistryInput> = {},
  variables: Record<string, RegistryInput> = {},
): RegistryHeader {
  return { ...input(name, fields), variables };
}

function remote(
  type: RegistryRemote["type"],
  url: string,
  fields: Partial<Pick<RegistryRemote, "headers" | "variables">> = {},
): RegistryRemote {
  return { type, url, headers: [], variables: {}, ...fields };
}

function entry(remotes: RegistryRemote[], hasPackages = false): RegistryServerEntry {
  return sampleEntry("io.test/weather", "1.0.0", { remotes, hasPackages });
}

function selectionError(run: () => unknown): RemoteSelectionError {
  try {
    run();
  } catch (error) {
    if (error instanceof RemoteSelectionError) return error;
    throw error;
  }
  throw new Error("expected a RemoteSelectionError");
}

describe("selectRemote", () => {
  it("prefers streamable-http over sse whatever their order, and takes sse when it is all there is", () => {
    const both = entry([
      remote("sse", "https://x.test/sse"),
      remote("streamable-http", "https://x.test/mcp"),
    ]);
    const sseOnly = entry([remote("sse", "https://x.test/sse")]);

    expect(selectRemote(both, {})).toEqual({
      url: "https://x.test/mcp",
      transport: "streamable-http",
      headers: {},
    });
    expect(selectRemote(sseOnly, {})).toEqual({
      url: "https://x.test/sse",
      transport: "sse",
      headers: {},
    });
  });

  it("fills URL variables from their value, else their default", () => {
    const templated = remote("streamable-http", "https://{tenant}.x.test/{region}/mcp", {
      variables: {
        tenant: input("tenant", { value: "acme", default: "ignored", isRequired: true }),
        region: input("region", { default: "eu" }),
      },
    });

    expect(selectRemote(entry([templated]), {}).url).toBe("https://acme.x.test/eu/mcp");
  });

  it("names a required variable without value or default, even one the URL does not use", () => {
    const unused = remote("streamable-http", "https://x.test/mcp", {
      variables: { tenant_id: input("tenant_id", { isRequired: true }) },
    });

    const error = selectionError(() => selectRemote(entry([unused]), {}));

    expect(error).toMatchObject({
      code: "missing_variable",
      missing: "tenant_id",
      serverName: "io.test/weather",
    });
    expect(error.message).toContain("'tenant_id'");
  });

  it("names a URL placeholder that has no value, declared optional or not declared at all", () => {
    const optional = remote("streamable-http", "https://{tenant}.x.test/mcp", {
      variables: { tenant: input("tenant") },
    });
    const undeclared = remote("streamable-http", "https://x.test/{workspace}/mcp");

    expect(selectionError(() => selectRemote(entry([optional]), {}))).toMatchObject({
      code: "missing_variable",
      missing: "tenant",
    });
    expect(selectionError(() => selectRemote(entry([undeclared]), {}))).toMatchObject({
      code: "missing_variable",
      missing: "workspace",
    });
  });

  it("uses a header's fixed value with its own variables filled, or its default", () => {
    const headers = [
      header(
        "Authorization",
        { value: "Bearer {token}" },
        { token: input("token", { default: "public" }) },
      ),
      header("X-Region", { default: "eu" }),
      header("X-Optional", { description: "left to the caller" }),
    ];

    const selected = selectRemote(
      entry([remote("streamable-http", "https://x.test/mcp", { headers })]),
      {
        "X-Optional": "not the registry's to pass",
      },
    );

    expect(selected.headers).toEqual({ Authorization: "Bearer public", "X-Region": "eu" });
  });

  it("takes a secret or required header from the caller, matched case-insensitively", () => {
    const headers = [
      header("X-API-Key", { isSecret: true }),
      header("Authorization", {
        value: "Bearer {smithery_api_key}",
        isRequired: true,
        isSecret: true,
      }),
      header(
        "CONTEXT7_API_KEY",
        { value: "{key}" },
        { key: input("key", { isRequired: true, isSecret: true }) },
      ),
    ];
    const caller = { "x-api-key": "k-1", authorization: "Bearer s-2", context7_api_key: "c-3" };

    const selected = selectRemote(
      entry([remote("streamable-http", "https://x.test/mcp", { headers })]),
      caller,
    );

    expect(selected.headers).toEqual({
      "X-API-Key": "k-1",
      Authorization: "Bearer s-2",
      CONTEXT7_API_KEY: "c-3",
    });
  });

  it("names a secret or required header the caller did not supply", () => {
    const secret = remote("streamable-http", "https://x.test/mcp", {
      headers: [header("X-API-Key", { isSecret: true })],
    });
    const required = remote("sse", "https://x.test/sse", {
      headers: [header("X-Tenant", { isRequired: true })],
    });

    const missingSecret = selectionError(() => selectRemote(entry([secret]), { "X-Other": "1" }));
    const missingRequired = selectionError(() => selectRemote(entry([required]), {}));

    expect(missingSecret).toMatchObject({ code: "missing_header", missing: "X-API-Key" });
    expect(missingSecret.message).toContain("'X-API-Key'");
    expect(missingRequired).toMatchObject({ code: "missing_header", missing: "X-Tenant" });
  });

  it("refuses a packages-only server, and one with no remote at all, as having no remote endpoint", () => {
    const packagesOnly = selectionError(() => selectRemote(entry([], true), {}));
    const nothing = selectionError(() => selectRemote(entry([]), {}));

    expect(packagesOnly).toMatchObject({ code: "no_remote", missing: null });
    expect(packagesOnly.message).toContain("'io.test/weather' has no remote endpoint");
    expect(packagesOnly.message).toContain("packages");
    expect(nothing).toMatchObject({ code: "no_remote" });
  });

  it("refuses a URL that is not http(s) once filled", () => {
    const broken = remote("streamable-http", "{base}/mcp", {
      variables: { base: input("base", { default: "file:///etc" }) },
    });

    expect(selectionError(() => selectRemote(entry([broken]), {}))).toMatchObject({
      code: "invalid_url",
    });
  });
});
