/**
 * `createApp(deps)` → the HTTP app, with no listening and no environment access (STYLE.md
 * "Layout"): tests build it directly; `main.ts` wires real adapters and listens.
 */
import { randomUUID } from "node:crypto";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Logger } from "pino";
import type { PatchbayConfig } from "./config/patchbay-config.js";
import type { ConnectorAdmin } from "./connectors/connector-admin.js";
import type { ConnectorCatalog } from "./connectors/connector-catalog.js";
import { adminConnectorsRoutes } from "./http/admin-connectors-routes.js";
import { adminRegistriesRoutes } from "./http/admin-registries-routes.js";
import type { AppEnv } from "./http/app-env.js";
import { authenticate, requireAdmin } from "./http/authenticate.js";
import { connectorsRoutes } from "./http/connectors-routes.js";
import { conversationsRoutes } from "./http/conversations-routes.js";
import { modelsRoutes } from "./http/models-routes.js";
import { createRouter } from "./http/create-router.js";
import { docsRoutes } from "./http/docs-routes.js";
import { errorResponse } from "./http/error-response.js";
import { limitBody, requestTooLarge } from "./http/limit-body.js";
import { llamaStackConnectorsRoutes } from "./http/llama-stack-connectors-routes.js";
import { buildOpenApiDocument, type OpenApiDocument } from "./http/openapi-document.js";
import { operationsRoutes } from "./http/operations-routes.js";
import { rejectMalformedEncoding } from "./http/reject-malformed-encoding.js";
import { requestContext } from "./http/request-context.js";
import { registryApiRoutes } from "./http/registry-api-routes.js";
import { responsesRoutes } from "./http/responses-routes.js";
import { unmatchedRequest } from "./http/unmatched-request.js";
import { readPackageVersion } from "./lib/read-package-version.js";
import type { EgressGuard, McpClient } from "./mcp/mcp-client.js";
import type { ConnectorHealthSource } from "./observability/connector-health-book.js";
import type { MetricsExposition, Telemetry } from "./observability/telemetry.js";
import type { RegistryAdmin } from "./registries/registry-admin.js";
import type { RegistrySyncs } from "./registries/registry-syncs.js";
import { ServedCatalog } from "./registry-api/served-catalog.js";
import { ConversationsService } from "./conversations/conversations-service.js";
import type { ModelObject } from "./inference/model-catalog.js";
import type { ModelResolver } from "./responses/prepare-response.js";
import { ResponsesService } from "./responses/responses-service.js";
import { StoreContextSource } from "./responses/store-context-source.js";
import type { BackgroundRunStore } from "./store/background-run-store.js";
import type { ConversationStore } from "./store/conversation-store.js";
import type { RegistryMirror } from "./store/registry-mirror.js";
import type { ResponseStore } from "./store/response-store.js";

/**
 * How often a background run renews its lease and reads its cancel request, a follower polls a run
 * on another replica, and the lease sweep runs: a cancel on any replica lands within about this.
 */
const BACKGROUND_POLL_MS = 250;

export interface AppDeps {
  config: PatchbayConfig;
  models: ModelResolver;
  /** `GET /v1/models`: every provider's models (issue 14 §4). */
  modelCatalog: { list(): Promise<ModelObject[]> };
  mcp: McpClient;
  connectors: ConnectorCatalog;
  /** Egress policy for user `server_url`s and registry remotes (PRODUCT.md §7). */
  egress: EgressGuard | null;
  stores: {
    responses: ResponseStore;
    backgroundRuns: BackgroundRunStore;
    conversations: ConversationStore;
    mirror: RegistryMirror;
  };
  registries: RegistrySyncs;
  admin: { connectors: ConnectorAdmin; registries: RegistryAdmin };
  logger: Logger;
  /** Where requests are reported, and what `/metrics` exposes (one adapter may be both). */
  telemetry: Telemetry;
  metrics: MetricsExposition;
  /** What this replica saw of each connector's server (issue 15 §3). */
  health: ConnectorHealthSource;
  /** Unix seconds; injectable for tests. */
  now?: () => number;
}

export interface PatchbayApp {
  fetch: (request: Request) => Response | Promise<Response>;
  hono: OpenAPIHono<AppEnv>;
  responses: ResponsesService;
  conversations: ConversationsService;
}

export function createApp(deps: AppDeps): PatchbayApp {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const responses = new ResponsesService({
    models: deps.models,
    store: deps.stores.responses,
    runs: deps.stores.backgroundRuns,
    background: {
      runner: randomUUID(),
      leaseMs: deps.config.server.background.leaseMs,
      pollMs: BACKGROUND_POLL_MS,
    },
    context: new StoreContextSource(deps.stores),
    logger: deps.logger,
    now,
    mcpTools: {
      mcp: deps.mcp,
      connectors: deps.connectors,
      allowServerUrl: deps.config.server.mcp.allowServerUrl,
      serverUrlTimeoutMs: deps.config.server.mcp.timeoutMs,
      egress: deps.egress,
    },
  });
  const conversations = new ConversationsService({ store: deps.stores.conversations, now });
  const app = createRouter();
  const maxBodyBytes = deps.config.server.maxBodyBytes;
  let document: OpenApiDocument | undefined;

  app.use(requestContext(deps.logger, deps.telemetry));
  app.use(
    limitBody(maxBodyBytes, () => {
      throw requestTooLarge(maxBodyBytes);
    }),
  );
  app.use(rejectMalformedEncoding());
  app.route("/", operationsRoutes(deps.stores.responses, deps.metrics));
  app.route(
    "/",
    docsRoutes(() => (document ??= buildOpenApiDocument(app, readPackageVersion()))),
  );
  const authenticated = authenticate(deps.config.server.apiKeys);
  app.use("/v1/*", authenticated);
  app.route("/v1/responses", responsesRoutes(responses));
  app.route("/v1/conversations", conversationsRoutes(conversations));
  app.route("/v1/models", modelsRoutes(deps.modelCatalog));
  const connectorTools = {
    catalog: deps.connectors,
    mcp: deps.mcp,
    egress: deps.egress,
    health: deps.health,
  };
  app.route("/v1/connectors", connectorsRoutes(connectorTools));
  app.use("/v0.1/*", authenticated);
  const served = new ServedCatalog({
    catalog: deps.connectors,
    mirror: deps.stores.mirror,
    registries: deps.registries,
    namespace: deps.config.server.registryApi.namespace,
    loadedAt: new Date(now() * 1000).toISOString(),
  });
  app.route("/v0.1", registryApiRoutes(served));
  app.use("/v1beta/*", authenticated);
  app.route("/v1beta/connectors", llamaStackConnectorsRoutes(connectorTools));
  app.use("/v1/admin/*", requireAdmin());
  app.route("/v1/admin/connectors", adminConnectorsRoutes(deps.admin.connectors, connectorTools));
  app.route("/v1/admin/mcp_registries", adminRegistriesRoutes(deps.admin.registries));

  app.notFound(unmatchedRequest(app.routes));
  app.onError((error, c) => errorResponse(c, error));

  return { fetch: (request) => app.fetch(request), hono: app, responses, conversations };
}
