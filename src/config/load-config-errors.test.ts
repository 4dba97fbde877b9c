import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors/config-error.js";
import { loadConfig } from "./load-config.js";
import { UNUSED_LLAMA_STACK_TOP_LEVEL_KEYS } from "./top-level-keys.js";
import { configFixtureFolder } from "../../test/support/config-fixture-folder.js";

const { writeFixture, pathIn } = configFixtureFolder();

/** The issues of the `ConfigError` that loading `yaml` throws. */
function issuesOf(yaml: string, env: Record<string, string> = {}): string[] {
  return issuesOfLoad(() => loadConfig({ path: writeFixture(yaml), env }));
}

function issuesOfLoad(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

/** An agents provider whose config body is `body` (indented under `config:`). */
function agents(body: string): string {
  const indented = body
    .trim()
    .split("\n")
    .map((line) => `      ${line}`)
    .join("\n");
  return `providers:\n  agents:\n  - provider_id: meta-reference\n    provider_type: inline::meta-reference\n    config:\n${indented}\n`;
}

describe("loadConfig rejects", () => {
  it("an invalid egress CIDR, naming its path", () => {
    const issues = issuesOf("server:\n  mcp:\n    egress:\n      deny_cidrs: ['10.0.0.0/33']\n");
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^server\.mcp\.egress\.deny_cidrs\[0\]: /);
  });

  it("a served registry namespace the registry's name rule refuses, and an unknown key beside it", () => {
    expect(
      issuesOf("server:\n  registry_api:\n    namespace: local/patchbay\n    prefix: x\n"),
    ).toEqual([
      "server.registry_api.namespace: must match ^[a-zA-Z0-9.-]{1,60}$ (the registry's namespace rule, at most 60 characters)",
      "server.registry_api.prefix: unknown key",
    ]);
    expect(issuesOf(`server:\n  registry_api:\n    namespace: ${"a".repeat(61)}\n`)).toHaveLength(
      1,
    );
  });

  it("an unknown key inside server, naming its path", () => {
    expect(issuesOf("server:\n  port: 8321\n  prot: 1\n")).toEqual(["server.prot: unknown key"]);
  });

  it("an unknown key inside a connector and inside its allowed_tools filter", () => {
    const yaml = agents(`
connectors:
- connector_id: a
  url: https://a.example.com/mcp
  headerz: {}
- connector_id: b
  url: https://b.example.com/mcp
  allowed_tools: {tool_names: [x], readonly: true}`);
    expect(issuesOf(yaml)).toEqual([
      "providers.agents[0].config.connectors[0].headerz: unknown key",
      "providers.agents[0].config.connectors[1].allowed_tools.readonly: unknown key",
    ]);
  });

  it("a bad or non-http URL", () => {
    const yaml = agents(`
connectors:
- {connector_id: a, url: https://a.example.com/mcp}
- {connector_id: b, url: https://b.example.com/mcp}
- {connector_id: c, url: "not a url"}
- {connector_id: d, url: "ftp://files.example.com/mcp"}`);
    const invalid = "invalid URL (expected an absolute http:// or https:// URL)";
    expect(issuesOf(yaml)).toEqual([
      `providers.agents[0].config.connectors[2].url: ${invalid}`,
      `providers.agents[0].config.connectors[3].url: ${invalid}`,
    ]);
  });

  it("a missing url and a connector without id", () => {
    const yaml = agents(`
connectors:
- connector_id: a
- url: https://b.example.com/mcp`);
    expect(issuesOf(yaml)).toEqual([
      "providers.agents[0].config.connectors[0].url: is required",
      "providers.agents[0].config.connectors[1].connector_id: is required (or its alias name)",
    ]);
  });

  it("a duplicate connector id across connector_id and its alias name", () => {
    const yaml = agents(`
connectors:
- {connector_id: w, url: https://w.example.com/mcp}
- {name: x, url: https://x1.example.com/mcp}
- {connector_id: y, url: https://y.example.com/mcp}
- {connector_id: x, url: https://x2.example.com/mcp}`);
    expect(issuesOf(yaml)).toEqual([
      "providers.agents[0].config.connectors[3].connector_id: duplicate 'x' (first at connectors[1])",
    ]);
  });

  it("a duplicate connector id across agents providers, naming the first in full", () => {
    const provider = (id: string) =>
      `  - provider_id: ${id}\n    provider_type: inline::meta-reference\n    config:\n      connectors:\n      - {name: x, url: https://x.example.com/mcp}\n`;
    const yaml = `providers:\n  agents:\n${provider("one")}${provider("two")}`;
    expect(issuesOf(yaml)).toEqual([
      "providers.agents[1].config.connectors[0].name: duplicate 'x' (first at providers.agents[0].config.connectors[0])",
    ]);
  });

  it("a connector id of the reserved registry form", () => {
    const yaml = agents("connectors:\n- {name: 'mcp::a::b', url: https://a.example.com/mcp}");
    expect(issuesOf(yaml)).toEqual([
      "providers.agents[0].config.connectors[0].name: 'mcp::a::b' is reserved for registry servers (mcp::<registry_id>::<server_name>)",
    ]);
  });

  it("connector ids with control characters, surrounding spaces or an absurd length", () => {
    const yaml = agents(`
connectors:
- {connector_id: "bad\\nid", url: https://a.example.com/mcp}
- {connector_id: "nul\\0", url: https://a.example.com/mcp}
- {name: " padded", url: https://a.example.com/mcp}
- {connector_id: "${"x".repeat(129)}", url: https://a.example.com/mcp}
- {connector_id: "has space", url: https://a.example.com/mcp}`);
    expect(issuesOf(yaml)).toEqual([
      "providers.agents[0].config.connectors[0].connector_id: must not contain control characters (CR, LF, NUL, tab…)",
      "providers.agents[0].config.connectors[1].connector_id: must not contain control characters (CR, LF, NUL, tab…)",
      "providers.agents[0].config.connectors[2].name: must not start or end with whitespace",
      "providers.agents[0].config.connectors[3].connector_id: must be at most 128 characters long",
      "providers.agents[0].config.connectors[4].connector_id: may hold letters, digits and . _ - : / and must start with a letter or a digit",
    ]);
  });

  it("header values that could never be sent (CR, LF, NUL), without quoting them", () => {
    const yaml = agents(`
connectors:
- connector_id: a
  url: https://a.example.com/mcp
  headers: {X-Api-Key: "secret\\r\\nX-Injected: 1"}
mcp_registries:
- id: public
  url: https://registry.example.com
  headers: {Authorization: "secret\\0"}`);
    const issues = issuesOf(yaml);
    expect(issues).toEqual([
      "providers.agents[0].config.connectors[0].headers: The value of header 'X-Api-Key' contains CR, LF, NUL or another character not allowed in an HTTP header.",
      "providers.agents[0].config.mcp_registries[0].headers: The value of header 'Authorization' contains CR, LF, NUL or another character not allowed in an HTTP header.",
    ]);
    expect(issues.join("\n")).not.toContain("secret");
  });

  it("a duplicate registry id and a bad registry id", () => {
    const yaml = agents(`
mcp_registries:
- {id: public, url: https://one.example.com}
- {id: Public_Registry, url: https://two.example.com}
- {id: public, url: https://three.example.com}`);
    expect(issuesOf(yaml)).toEqual([
      "providers.agents[0].config.mcp_registries[1].id: must match ^[a-z0-9][a-z0-9_-]{0,62}$",
      "providers.agents[0].config.mcp_registries[2].id: duplicate 'public' (first at mcp_registries[0])",
    ]);
  });

  it("a backend referenced but not defined, while kv_default/sql_default need no definition", () => {
    const yaml = agents(`
persistence:
  agent_state: {namespace: agents, backend: kv_default}
  responses: {table_name: responses, backend: sql_main}`);
    expect(issuesOf(yaml)).toEqual([
      "providers.agents[0].config.persistence.responses.backend: backend 'sql_main' is not defined in storage.backends",
    ]);
  });

  it("a missing api key role and a bad transport", () => {
    const yaml = `server:\n  auth:\n    api_keys:\n    - key: k\n${agents(
      "connectors:\n- {connector_id: a, url: https://a.example.com/mcp, transport: ws}",
    )}`;
    expect(issuesOf(yaml)).toEqual([
      "server.auth.api_keys[0].role: is required",
      "providers.agents[0].config.connectors[0].transport: expected 'streamable-http', 'sse' or 'auto'",
    ]);
  });

  it("an unsupported backend type and a port out of range", () => {
    const yaml = "server:\n  port: 70000\nstorage:\n  backends:\n    cache: {type: kv_redis}\n";
    expect(issuesOf(yaml)).toEqual([
      "server.port: expected an integer <= 65535",
      "storage.backends.cache.type: unsupported backend type (expected kv_sqlite, sql_sqlite, kv_postgres or sql_postgres)",
    ]);
  });

  it("an unset variable in a used part, but not in an ignored part", () => {
    const yaml = "models: ${env.NOT_SET_1}\nserver:\n  host: ${env.NOT_SET_2}\n";
    expect(issuesOf(yaml)).toEqual(["server.host: environment variable 'NOT_SET_2' is not set"]);
  });

  it("an unset variable once, not again as the empty, duplicate or broken value it leaves", () => {
    const yaml = `server:
  auth:
    api_keys:
    - {key: "\${env.ADMIN_KEY}", role: admin}
    - {key: "\${env.USER_KEY}", role: user}
${agents(`
connectors:
- {connector_id: a, url: "\${env.DOCS_HOST}/mcp"}`)}`;
    expect(issuesOf(yaml)).toEqual([
      "server.auth.api_keys[0].key: environment variable 'ADMIN_KEY' is not set",
      "server.auth.api_keys[1].key: environment variable 'USER_KEY' is not set",
      "providers.agents[0].config.connectors[0].url: environment variable 'DOCS_HOST' is not set",
    ]);
  });

  it("an empty key still, and two equal ones as a duplicate", () => {
    const yaml = `server:
  auth:
    api_keys:
    - {key: "", role: admin}
    - {key: k, role: admin}
    - {key: k, role: user}
`;
    expect(issuesOf(yaml)).toEqual([
      "server.auth.api_keys[0].key: must not be empty",
      "server.auth.api_keys[2].key: duplicate key (first at api_keys[1])",
    ]);
  });

  it("two keys with one name, and a fixed user beside may_act_for_users", () => {
    const yaml = `server:
  auth:
    api_keys:
    - {key: a, role: user, name: app}
    - {key: b, role: user, name: app}
    - {key: c, role: user, name: kiosk, user: desk, may_act_for_users: true}
`;
    expect(issuesOf(yaml)).toEqual([
      "server.auth.api_keys[2].may_act_for_users: a key with a fixed 'user' cannot also have 'may_act_for_users'",
      "server.auth.api_keys[1].name: duplicate name 'app' (first at api_keys[0])",
    ]);
  });

  it("a served inference provider without a URL, and duplicate provider ids", () => {
    const yaml = `providers:
  inference:
  - {provider_id: a, provider_type: remote::vllm}
  - {provider_id: b, provider_type: remote::ollama, config: {url: "http://h:11434"}}
  - {provider_id: b, provider_type: remote::openai}
`;
    expect(issuesOf(yaml)).toEqual([
      "providers.inference[0].config.base_url: is required (or its alias url)",
      "providers.inference[2].provider_id: duplicate 'b' (first at inference[1])",
    ]);
  });

  it("a bad INFERENCE_BASE_URL when the default provider is used", () => {
    const issues = issuesOfLoad(() =>
      loadConfig({ env: { INFERENCE_BASE_URL: "localhost:11434" } }),
    );
    expect(issues).toEqual([
      "INFERENCE_BASE_URL: invalid URL (expected an absolute http:// or https:// URL)",
    ]);
  });

  it("with every issue at once rather than the first", () => {
    const yaml = `server:\n  bogus: 1\n${agents(`
connectors:
- {connector_id: a, url: nope}
mcp_registries:
- {id: r, url: https://r.example.com, sync_interval_s: soon}`)}`;
    expect(issuesOf(yaml)).toEqual([
      "server.bogus: unknown key",
      "providers.agents[0].config.connectors[0].url: invalid URL (expected an absolute http:// or https:// URL)",
      "providers.agents[0].config.mcp_registries[0].sync_interval_s: expected an integer",
    ]);
  });
});

describe("loadConfig top-level keys", () => {
  it("refuses a misspelled key, with the key it was probably meant to be", () => {
    const yaml = "sever:\n  auth:\n    api_keys:\n    - {key: k, role: admin}\n";
    expect(issuesOf(yaml)).toEqual(["sever: unknown top-level key; did you mean 'server'?"]);
  });

  it.each([
    ["storag", "storage"],
    ["provider", "providers"],
    ["conectors", "connectors"],
    ["image-name", "image_name"],
  ])("suggests %s → %s", (typo, meant) => {
    expect(issuesOf(`${typo}: {}\n`)).toEqual([
      `${typo}: unknown top-level key; did you mean '${meant}'?`,
    ]);
  });

  it("refuses a key close to nothing known, saying what is", () => {
    expect(issuesOf("frobnicate: 1\nserver: {port: 1}\n")).toEqual([
      "frobnicate: unknown top-level key (Patchbay reads server, storage, providers, connectors; other Llama Stack keys such as version, apis or models are accepted and ignored)",
    ]);
  });

  it("accepts every Llama Stack key it does not use, naming them for the warning", () => {
    const keys = UNUSED_LLAMA_STACK_TOP_LEVEL_KEYS;
    const yaml = keys.map((key) => `${key}: \${env.UNSET_IN_IGNORED_KEY:=x}`).join("\n");
    expect(loadConfig({ path: writeFixture(yaml), env: {} }).ignored).toEqual([...keys]);
  });
});

describe("loadConfig file errors", () => {
  it("names a missing file", () => {
    const path = pathIn("missing.yaml");
    expect(issuesOfLoad(() => loadConfig({ path, env: {} }))).toEqual([`${path}: file not found`]);
  });

  it("gives the line and column of a YAML syntax error", () => {
    const path = writeFixture("server:\n  port: 8321\n host: x\n");
    const [issue] = issuesOfLoad(() => loadConfig({ path, env: {} }));
    expect(issue).toMatch(new RegExp(`^${path}: YAML syntax error at line 3, column \\d+: `));
  });

  it("rejects a document that is not a mapping", () => {
    const path = writeFixture("- server\n");
    expect(issuesOfLoad(() => loadConfig({ path, env: {} }))).toEqual([
      `${path}: expected a YAML mapping (key: value) at the top level`,
    ]);
  });
});
