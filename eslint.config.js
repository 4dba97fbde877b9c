// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * Import boundaries (STYLE.md "Layout"): dependency arrows point inward, and each driver lives
 * behind one folder. A rule lists what a folder may NOT import.
 */
const boundary = (files, patterns) => ({
  files,
  rules: { "no-restricted-imports": ["error", { patterns: [...patterns, noPromClient] }] },
});
/** Telemetry is a port (ADR 0026); its Prometheus adapter is prom-client's only importer. */
const noPromClient = {
  group: ["prom-client"],
  message: "Only src/observability/prometheus-telemetry.ts imports prom-client (ADR 0026).",
};
const noHttp = {
  group: ["hono", "hono/*", "@hono/*"],
  message: "Only src/http imports the HTTP framework.",
};
const noMcpSdk = {
  group: [
    "@modelcontextprotocol/sdk",
    "@modelcontextprotocol/sdk/*",
    "@modelcontextprotocol/client",
    "@modelcontextprotocol/client/*",
    "@modelcontextprotocol/core",
    "@modelcontextprotocol/core/*",
  ],
  message: "Only src/mcp imports the MCP SDKs.",
};
const noSqlite = {
  group: ["better-sqlite3"],
  message: "Only src/store/sqlite imports the SQLite driver.",
};
const noPg = { group: ["pg"], message: "Only src/store/postgres imports the PostgreSQL driver." };
/**
 * The connector model (its schema and the id rules) depends on nothing above `config/` and `lib/`,
 * so every layer may import it; the rest of `connectors/` sits above `registries/` (ADR 0022).
 */
const connectorModel = ["connector-schema.js", "connector-ids.js"];
/** The registry model (`registry-schema.ts`) likewise: config validates it, the store checks rows. */
const registryModel = ["registry-schema.js"];
const models = { connectors: connectorModel, registries: registryModel };
const noInward = (...folders) =>
  folders.map((folder) => ({
    group: [`**/${folder}/*`, ...(models[folder] ?? []).map((file) => `!**/${folder}/${file}`)],
    message: `This layer must not import ${folder}/ (STYLE.md arrows).`,
  }));

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".patchbay/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["eslint.config.js", "conformance/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  { files: ["eslint.config.js", "conformance/*.mjs"], ...tseslint.configs.disableTypeChecked },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/main.ts", "src/cli/**"],
    rules: { "no-console": "error" },
  },
  boundary(["src/**/*.ts"], []),
  {
    files: ["src/observability/prometheus-telemetry.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  boundary(
    ["src/responses/**/*.ts"],
    [noHttp, noMcpSdk, noSqlite, noPg, ...noInward("http", "store/sqlite", "store/postgres")],
  ),
  boundary(
    ["src/inference/**/*.ts", "src/errors/**/*.ts", "src/lib/**/*.ts", "src/config/**/*.ts"],
    [
      noHttp,
      noMcpSdk,
      noSqlite,
      noPg,
      ...noInward("http", "responses", "store", "connectors", "registries", "registry-api"),
    ],
  ),
  boundary(
    ["src/mcp/**/*.ts"],
    [
      noHttp,
      noSqlite,
      noPg,
      ...noInward("http", "responses", "store", "connectors", "registries", "registry-api"),
    ],
  ),
  boundary(
    ["src/connectors/**/*.ts", "src/registries/**/*.ts"],
    [
      noHttp,
      noMcpSdk,
      noSqlite,
      noPg,
      ...noInward("http", "responses", "registry-api", "store/sqlite", "store/postgres"),
    ],
  ),
  // The catalog served as an MCP Registry: a view over connectors, below the HTTP layer.
  boundary(
    ["src/registry-api/**/*.ts"],
    [
      noHttp,
      noMcpSdk,
      noSqlite,
      noPg,
      ...noInward("http", "responses", "store/sqlite", "store/postgres"),
    ],
  ),
  boundary(
    ["src/store/*.ts"],
    [
      noHttp,
      noMcpSdk,
      noSqlite,
      noPg,
      ...noInward("http", "connectors", "registries", "registry-api"),
    ],
  ),
  boundary(
    ["src/store/sqlite/**/*.ts"],
    [noHttp, noMcpSdk, noPg, ...noInward("http", "connectors", "registries", "store/postgres")],
  ),
  boundary(
    ["src/store/postgres/**/*.ts"],
    [noHttp, noMcpSdk, noSqlite, ...noInward("http", "connectors", "registries", "store/sqlite")],
  ),
  boundary(
    ["src/http/**/*.ts"],
    [noMcpSdk, noSqlite, noPg, ...noInward("store/sqlite", "store/postgres")],
  ),
  {
    // Domain errors carry their kind and context; only errors/ maps them to API errors, and only
    // the HTTP layer builds one directly (STYLE.md "Errors: two tiers", issue 12 §3).
    files: ["src/**/*.ts"],
    ignores: ["src/http/**", "src/errors/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/errors/api-error.js"],
              allowTypeImports: true,
              message:
                "Throw a domain error (errors/*-error.ts) with its context; toApiError maps it.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["test/**/*.ts", "src/**/*.test.ts", "bench/**/*.ts", "conformance/**/*.ts"],
    rules: {
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
);
