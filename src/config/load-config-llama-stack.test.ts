import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";
import { configFixtureFolder } from "../../test/support/config-fixture-folder.js";

const { writeFixture } = configFixtureFolder();

/** Shaped like Llama Stack's starter distribution run.yaml. */
const LLAMA_STACK_STARTER = `version: 2
image_name: starter
apis:
- agents
- inference
- safety
providers:
  inference:
  - provider_id: \${env.OLLAMA_URL:+ollama}
    provider_type: remote::ollama
    config:
      url: \${env.OLLAMA_URL:=http://localhost:11434}
  - provider_id: \${env.VLLM_URL:+vllm}
    provider_type: remote::vllm
    config:
      url: \${env.VLLM_URL:=}
      max_tokens: \${env.VLLM_MAX_TOKENS:=4096}
      api_token: \${env.VLLM_API_TOKEN:=fake}
      tls_verify: \${env.VLLM_TLS_VERIFY:=true}
  - provider_id: openai
    provider_type: remote::openai
    config:
      api_key: \${env.OPENAI_API_KEY:=}
  - provider_id: sentence-transformers
    provider_type: inline::sentence-transformers
    config:
      token: \${env.UNSET_IN_IGNORED_PROVIDER}
  safety:
  - provider_id: llama-guard
    provider_type: inline::llama-guard
    config: {}
  agents:
  - provider_id: meta-reference
    provider_type: inline::meta-reference
    config:
      persistence:
        agent_state:
          namespace: agents
          backend: kv_default
        responses:
          table_name: responses
          backend: sql_default
storage:
  backends:
    kv_default:
      type: kv_sqlite
      db_path: \${env.SQLITE_STORE_DIR:=~/.llama/distributions/starter}/kvstore.db
    sql_default:
      type: sql_sqlite
      db_path: \${env.SQLITE_STORE_DIR:=~/.llama/distributions/starter}/sql_store.db
  stores:
    metadata:
      namespace: registry
      backend: kv_default
    conversations:
      table_name: openai_conversations
      backend: sql_default
models: \${env.UNSET_IN_IGNORED_KEY}
registered_resources:
  models: []
server:
  port: \${env.LLAMA_STACK_PORT:=8321}
telemetry:
  enabled: true
`;

describe("loadConfig with a Llama Stack run.yaml", () => {
  const env = { OLLAMA_URL: "http://gpu-box:11434", LLAMA_STACK_PORT: "9000", HOME: "/home/ada" };

  it("serves its remote providers, skips disabled and other providers, lists what it ignores", () => {
    const config = loadConfig({ path: writeFixture(LLAMA_STACK_STARTER), env });
    expect(config.inference).toEqual([
      {
        providerId: "ollama",
        providerType: "remote::ollama",
        baseUrl: "http://gpu-box:11434/v1",
        apiKey: null,
        timeoutMs: 60_000,
      },
      {
        providerId: "openai",
        providerType: "remote::openai",
        baseUrl: "https://api.openai.com/v1",
        apiKey: null,
        timeoutMs: 60_000,
      },
    ]);
    expect(config.server.port).toBe(9000);
    expect(config.ignored).toEqual([
      "version",
      "image_name",
      "apis",
      "storage.stores",
      "models",
      "registered_resources",
      "telemetry",
      "providers.safety",
      "providers.inference[1] (disabled: empty provider_id)",
      "providers.inference[3] (inline::sentence-transformers)",
    ]);
    expect(config.storage.backend).toEqual({
      name: "sql_default",
      kind: "sqlite",
      dbPath: "/home/ada/.llama/distributions/starter/sql_store.db",
    });
  });

  it("reads vllm's url and api_token and names the Llama Stack keys it does not act on", () => {
    const config = loadConfig({
      path: writeFixture(LLAMA_STACK_STARTER),
      env: { VLLM_URL: "http://vllm:8000/v1", VLLM_API_TOKEN: "tok" },
    });
    expect(config.inference[0]).toMatchObject({
      providerId: "vllm",
      baseUrl: "http://vllm:8000/v1",
      apiKey: "tok",
    });
    expect(config.ignored).toContain("providers.inference[1].config.max_tokens");
    expect(config.ignored).toContain("providers.inference[1].config.tls_verify");
  });

  it("supports YAML anchors and merge keys", () => {
    const yaml = `providers:
  agents:
  - provider_id: meta-reference
    provider_type: inline::meta-reference
    config:
      connectors:
      - &connector
        connector_id: a
        url: https://a.example.com/mcp
        transport: sse
        headers: {X-Team: search}
      - <<: *connector
        connector_id: b
`;
    const config = loadConfig({ path: writeFixture(yaml), env: {} });
    expect(config.connectors[1]).toMatchObject({
      connectorId: "b",
      url: "https://a.example.com/mcp",
      transport: "sse",
      headers: { "X-Team": "search" },
    });
    expect(config.ignored).toEqual([]);
  });
});
