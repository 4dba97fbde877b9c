/**
 * OGX (formerly Llama Stack) config files load unchanged (PRODUCT.md §8.2): its top-level
 * `connectors:` list is used like the agents provider's, with ids unique across both.
 * The fixtures are OGX's own distribution configs (test/fixtures/ogx/README.md).
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors/config-error.js";
import { loadConfig } from "./load-config.js";
import { configFixtureFolder } from "../../test/support/config-fixture-folder.js";

const { writeFixture } = configFixtureFolder();

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../test/fixtures/ogx/${name}`, import.meta.url));

function issuesOf(yaml: string, env: Record<string, string> = {}): string[] {
  try {
    loadConfig({ path: writeFixture(yaml), env });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig with OGX's own config files", () => {
  it("loads the starter distribution unchanged", () => {
    const config = loadConfig({ path: fixture("starter-config.yaml"), env: { HOME: "/home/ada" } });
    expect(config.inference.map((provider) => provider.providerId)).toEqual(["openai"]);
    expect(config.connectors).toEqual([]);
    expect(config.ignored).toEqual(
      expect.arrayContaining(["distro_name", "vector_stores", "safety", "providers.responses"]),
    );
    expect(config.storage.backend).toMatchObject({
      name: "sql_default",
      dbPath: "/home/ada/.llama/distributions/starter/sql_store.db",
    });
  });

  it("loads the ci-tests distribution unchanged and serves its top-level connector", () => {
    const config = loadConfig({
      path: fixture("ci-tests-config.yaml"),
      env: { HOME: "/home/ada" },
    });
    expect(config.connectors).toEqual([
      {
        connectorId: "test-mcp-connector",
        url: "http://localhost:5199/sse",
        serverLabel: null,
        description: null,
        transport: "auto",
        headers: {},
        allowedTools: null,
        requireApproval: null,
        timeoutMs: null,
      },
    ]);
    expect(config.server.apiKeys).toEqual([]);
    expect(config.ignored).toContain("server.auth.provider_config (disabled: empty type)");
  });

  it("serves vLLM from it when VLLM_URL is set, naming the network block it does not act on", () => {
    const config = loadConfig({
      path: fixture("ci-tests-config.yaml"),
      env: { HOME: "/home/ada", VLLM_URL: "http://vllm:8000/v1" },
    });
    expect(config.inference[0]).toMatchObject({
      providerId: "vllm",
      baseUrl: "http://vllm:8000/v1",
      apiKey: "fake",
    });
    expect(config.ignored).toContain("providers.inference[2].config.network");
  });

  it("refuses it when its authentication provider is switched on", () => {
    try {
      loadConfig({
        path: fixture("ci-tests-config.yaml"),
        env: { HOME: "/home/ada", AUTH_PROVIDER: "yes" },
      });
      expect.unreachable("an enabled auth provider must stop the start");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        "server.auth.provider_config: Llama Stack authentication provider 'oauth2_token' is not supported; configure server.auth.api_keys instead",
      ]);
    }
  });
});

describe("top-level connectors", () => {
  const nested = `providers:
  agents:
  - provider_id: meta-reference
    provider_type: inline::meta-reference
    config:
      connectors:
      - {connector_id: github, url: "https://api.githubcopilot.com/mcp/", transport: streamable-http}
`;

  it("are used with the agents provider's, nested ones first", () => {
    const yaml = `${nested}connectors:
- connector_type: mcp
  connector_id: docs
  url: http://docs-mcp.internal:8080/mcp
  server_label: Docs
  headers: {X-Api-Key: k}
`;
    const config = loadConfig({ path: writeFixture(yaml), env: {} });
    expect(config.connectors.map((connector) => connector.connectorId)).toEqual(["github", "docs"]);
    expect(config.connectors[1]).toMatchObject({
      url: "http://docs-mcp.internal:8080/mcp",
      serverLabel: "Docs",
      headers: { "X-Api-Key": "k" },
    });
  });

  it("refuse an id used in both lists, naming both places", () => {
    const yaml = `${nested}connectors:
- {connector_id: docs, url: "http://docs.internal/mcp"}
- {connector_id: github, url: "http://other.internal/mcp"}
`;
    expect(issuesOf(yaml)).toEqual([
      "connectors[1].connector_id: duplicate 'github' (first at providers.agents[0].config.connectors[0])",
    ]);
  });

  it("refuse a duplicate within the top-level list, a connector type other than mcp and an unknown key", () => {
    const yaml = `connectors:
- {connector_id: a, url: "http://a.internal/mcp"}
- {connector_id: a, url: "http://b.internal/mcp", connector_type: openapi}
- {connector_id: c, url: "http://c.internal/mcp", sever_label: C}
`;
    expect(issuesOf(yaml)).toEqual([
      "connectors[1].connector_type: expected 'mcp'",
      "connectors[2].sever_label: unknown key",
      "connectors[1].connector_id: duplicate 'a' (first at connectors[0])",
    ]);
  });

  it("must be a list", () => {
    expect(issuesOf("connectors: {connector_id: a}\n")).toEqual([
      "connectors: expected array, received object",
    ]);
  });
});
