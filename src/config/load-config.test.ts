import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";
import { configFixtureFolder } from "../../test/support/config-fixture-folder.js";

/** The seed's static-connector example, verbatim but for the `apis: ...` and `...` lines. */
const SEED_STATIC_CONNECTORS = `providers:
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
          max_write_queue_size: 10000
          num_writers: 4
      connectors:
        - connector_id: connector_github
          url: https://api.github.com/mcp
        - connector_id: connector_gitlab
          url: https://gitlab.com/mcp
        - connector_id: connector_slack
          url: https://slack.com/mcp
`;

/** The seed's registry example, verbatim but for the `apis: ...` and `...` lines. */
const SEED_REGISTRIES = `providers:
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
          max_write_queue_size: 10000
          num_writers: 4
      connectors:
      - name: connector_github
        url: https://api.github.com/mcp
      mcp_registries:
      - name: registry_internal
        id: internal
        url: https://registry.internal.dev/
      - name: registry_public
        id: public
        url: https://registry.public.dev/
`;

const { writeFixture } = configFixtureFolder();

describe("loadConfig with the seed examples", () => {
  it("loads the static connector example with its three connectors", () => {
    const config = loadConfig({ path: writeFixture(SEED_STATIC_CONNECTORS), env: {} });
    expect(config.connectors).toEqual([
      {
        connectorId: "connector_github",
        url: "https://api.github.com/mcp",
        serverLabel: null,
        description: null,
        transport: "auto",
        headers: {},
        allowedTools: null,
        requireApproval: null,
        timeoutMs: null,
      },
      expect.objectContaining({ connectorId: "connector_gitlab", url: "https://gitlab.com/mcp" }),
      expect.objectContaining({ connectorId: "connector_slack", url: "https://slack.com/mcp" }),
    ]);
    expect(config.registries).toEqual([]);
    expect(config.storage.backend.name).toBe("sql_default");
    expect(config.ignored).toEqual([]);
  });

  it("loads the registry example: name is the connector id alias, registry URLs normalised", () => {
    const config = loadConfig({ path: writeFixture(SEED_REGISTRIES), env: {} });
    expect(config.connectors.map((connector) => connector.connectorId)).toEqual([
      "connector_github",
    ]);
    expect(config.registries).toEqual([
      {
        id: "internal",
        name: "registry_internal",
        url: "https://registry.internal.dev",
        headers: {},
        syncIntervalS: 3600,
        include: [],
        exclude: [],
      },
      expect.objectContaining({ id: "public", url: "https://registry.public.dev" }),
    ]);
  });
});

describe("loadConfig defaults", () => {
  it("uses built-in defaults with no file", () => {
    const config = loadConfig({ env: {} });
    expect(config.server).toEqual({
      host: "127.0.0.1",
      port: 8321,
      apiKeys: [],
      maxBodyBytes: 10 * 1024 * 1024,
      mcp: {
        allowServerUrl: true,
        egress: { denyCidrs: [], allowCidrs: [], blockPrivate: false },
        timeoutMs: 30_000,
        limits: {
          maxMessageBytes: 4 * 1024 * 1024,
          maxToolResultBytes: 16 * 1024 * 1024,
          maxToolsListBytes: 8 * 1024 * 1024,
        },
      },
      inference: { limits: { maxResponseBytes: 16 * 1024 * 1024, maxEventBytes: 4 * 1024 * 1024 } },
      registries: { maxBodyBytes: 10 * 1024 * 1024, failureCacheMs: 10_000 },
      registryApi: { namespace: "local.patchbay" },
      background: { leaseMs: 10_000 },
    });
    expect(config.inference).toEqual([
      {
        providerId: "default",
        providerType: "remote::openai-compatible",
        baseUrl: "http://127.0.0.1:11434/v1",
        apiKey: null,
        timeoutMs: 60_000,
      },
    ]);
    expect(config.storage.backends).toEqual([
      { name: "kv_default", kind: "sqlite", dbPath: join(".patchbay", "kv_store.db") },
      { name: "sql_default", kind: "sqlite", dbPath: join(".patchbay", "sql_store.db") },
    ]);
    expect(config.storage.backend.name).toBe("sql_default");
    expect(config.connectors).toEqual([]);
    expect(config.registries).toEqual([]);
    expect(config.ignored).toEqual([]);
  });

  it("takes the default provider from INFERENCE_BASE_URL/INFERENCE_API_KEY and files from PATCHBAY_HOME", () => {
    const config = loadConfig({
      env: {
        INFERENCE_BASE_URL: "http://models.internal:8000/v1/",
        INFERENCE_API_KEY: "secret",
        PATCHBAY_HOME: "/var/lib/patchbay",
      },
    });
    expect(config.inference[0]).toMatchObject({
      baseUrl: "http://models.internal:8000/v1",
      apiKey: "secret",
    });
    expect(config.storage.backend).toEqual({
      name: "sql_default",
      kind: "sqlite",
      dbPath: "/var/lib/patchbay/sql_store.db",
    });
  });

  it("treats an empty file as no settings", () => {
    const config = loadConfig({ path: writeFixture("# nothing yet\n"), env: {} });
    expect(config.server.port).toBe(8321);
  });

  it("lets --host/--port overrides win over the file", () => {
    const path = writeFixture("server:\n  host: 0.0.0.0\n  port: 9000\n");
    expect(loadConfig({ path, env: {} }).server).toMatchObject({ host: "0.0.0.0", port: 9000 });
    const overridden = loadConfig({ path, env: {}, overrides: { host: "::1", port: 0 } });
    expect(overridden.server).toMatchObject({ host: "::1", port: 0 });
    const portOnly = loadConfig({ path, env: {}, overrides: { host: undefined, port: 7000 } });
    expect(portOnly.server).toMatchObject({ host: "0.0.0.0", port: 7000 });
  });
});

describe("loadConfig with every option", () => {
  const FULL = `server:
  host: 0.0.0.0
  port: "\${env.PORT:=8400}"
  max_body_bytes: 1048576
  auth:
    api_keys:
    - key: \${env.ADMIN_KEY}
      role: admin
      name: ops
    - key: user-key
      role: user
      may_act_for_users: "true"
    - key: kiosk-key
      role: user
      name: kiosk
      user: front-desk
  mcp:
    allow_server_url: \${env.ALLOW_URL:=false}
    egress:
      deny_cidrs: ["10.0.0.0/8", "fd00::/8"]
      allow_cidrs: ["10.1.2.3"]
      block_private: true
    timeout_ms: 12000
    max_message_bytes: 65536
    max_tool_result_bytes: \${env.TOOL_RESULT_BYTES:=131072}
    max_tools_list_bytes: 262144
  inference:
    max_response_bytes: 524288
    max_event_bytes: 32768
  registries:
    max_body_bytes: 2097152
    failure_cache_ms: 0
  registry_api:
    namespace: com.example.gateway
  background:
    lease_ms: 3000
storage:
  backends:
    pg:
      type: sql_postgres
      host: db.internal
      db: patchbay
      user: pb
      password: "p@ss word"
providers:
  inference:
  - provider_id: local
    provider_type: remote::openai-compatible
    config:
      base_url: http://127.0.0.1:8000/v1/
      api_key: \${env.LOCAL_KEY:=}
      timeout_ms: 5000
  agents:
  - provider_id: meta-reference
    provider_type: inline::meta-reference
    config:
      persistence:
        responses:
          backend: pg
      connectors:
      - connector_id: docs
        url: https://docs.example.com/mcp
        server_label: Docs
        description: Product documentation
        transport: sse
        headers:
          Authorization: Bearer \${env.DOCS_TOKEN}
          X-Api-Version: 2
        allowed_tools:
          tool_names: [search]
          read_only: true
        require_approval:
          never:
            read_only: true
        timeout_ms: \${env.DOCS_TIMEOUT:=15000}
      - name: files
        url: http://127.0.0.1:9100/mcp
        allowed_tools: [read_file]
        require_approval: always
      mcp_registries:
      - id: official
        url: https://registry.modelcontextprotocol.io/v0.1/
        headers:
          Authorization: Bearer \${env.REGISTRY_TOKEN:=anonymous}
        sync_interval_s: \${env.SYNC_S:=600}
        include: ["io.github.*"]
        exclude: ["*-beta"]
`;
  const env = { ADMIN_KEY: "admin-key", DOCS_TOKEN: "t0k" };

  it("resolves server, auth, storage and inference settings", () => {
    const config = loadConfig({ path: writeFixture(FULL), env });
    expect(config.server).toEqual({
      host: "0.0.0.0",
      port: 8400,
      apiKeys: [
        { key: "admin-key", role: "admin", name: "ops", user: null, mayActForUsers: false },
        { key: "user-key", role: "user", name: null, user: null, mayActForUsers: true },
        {
          key: "kiosk-key",
          role: "user",
          name: "kiosk",
          user: "front-desk",
          mayActForUsers: false,
        },
      ],
      maxBodyBytes: 1_048_576,
      mcp: {
        allowServerUrl: false,
        egress: {
          denyCidrs: ["10.0.0.0/8", "fd00::/8"],
          allowCidrs: ["10.1.2.3"],
          blockPrivate: true,
        },
        timeoutMs: 12_000,
        limits: {
          maxMessageBytes: 65_536,
          maxToolResultBytes: 131_072,
          maxToolsListBytes: 262_144,
        },
      },
      inference: { limits: { maxResponseBytes: 524_288, maxEventBytes: 32_768 } },
      registries: { maxBodyBytes: 2_097_152, failureCacheMs: 0 },
      registryApi: { namespace: "com.example.gateway" },
      background: { leaseMs: 3000 },
    });
    expect(config.storage.backend).toEqual({
      name: "pg",
      kind: "postgres",
      host: "db.internal",
      port: 5432,
      database: "patchbay",
      user: "pb",
      password: "p@ss word",
      schema: "public",
      sslMode: "disable",
      caCertPath: null,
      maxConnections: 10,
      maxConnectionLifetimeS: null,
      statementTimeoutMs: 15_000,
      connectTimeoutMs: 5_000,
    });
    expect(config.storage.backends.map((backend) => backend.name)).toEqual([
      "kv_default",
      "sql_default",
      "pg",
    ]);
    expect(config.inference).toEqual([
      {
        providerId: "local",
        providerType: "remote::openai-compatible",
        baseUrl: "http://127.0.0.1:8000/v1",
        apiKey: null,
        timeoutMs: 5000,
      },
    ]);
  });

  it("resolves connectors and registries with their filters, headers and defaults", () => {
    const config = loadConfig({ path: writeFixture(FULL), env });
    expect(config.connectors).toEqual([
      {
        connectorId: "docs",
        url: "https://docs.example.com/mcp",
        serverLabel: "Docs",
        description: "Product documentation",
        transport: "sse",
        headers: { Authorization: "Bearer t0k", "X-Api-Version": "2" },
        allowedTools: { tool_names: ["search"], read_only: true },
        requireApproval: { never: { read_only: true } },
        timeoutMs: 15_000,
      },
      {
        connectorId: "files",
        url: "http://127.0.0.1:9100/mcp",
        serverLabel: null,
        description: null,
        transport: "auto",
        headers: {},
        allowedTools: ["read_file"],
        requireApproval: "always",
        timeoutMs: null,
      },
    ]);
    expect(config.registries).toEqual([
      {
        id: "official",
        name: null,
        url: "https://registry.modelcontextprotocol.io",
        headers: { Authorization: "Bearer anonymous" },
        syncIntervalS: 600,
        include: ["io.github.*"],
        exclude: ["*-beta"],
      },
    ]);
  });
});
