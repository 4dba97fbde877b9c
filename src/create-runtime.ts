/**
 * Builds the adapters a configuration asks for and the app on top of them, with no environment
 * access and no listening, so `main.ts` and the e2e tests compose Patchbay the same way.
 */
import type { Logger } from "pino";
import { createApp } from "./app.js";
import type { PatchbayApp } from "./app.js";
import type { PatchbayConfig } from "./config/patchbay-config.js";
import { InstrumentedChatModel } from "./inference/instrumented-chat-model.js";
import { ModelRouter, createOpenAIChatModel } from "./inference/model-router.js";
import { ModelCatalog } from "./inference/model-catalog.js";
import { listProviderModels } from "./inference/list-provider-models.js";
import type { ChatModelFactory } from "./inference/model-router.js";
import { PrometheusTelemetry } from "./observability/prometheus-telemetry.js";
import { InstrumentedMcpClient } from "./mcp/instrumented-mcp-client.js";
import { SdkMcpClient } from "./mcp/sdk-mcp-client.js";
import { ConnectorHealthBook } from "./observability/connector-health-book.js";
import { CompositeConnectorCatalog } from "./connectors/connector-catalog.js";
import { HttpRegistryClient } from "./registries/http-registry-client.js";
import { RegistrySyncs } from "./registries/registry-syncs.js";
import { ConnectorAdmin } from "./connectors/connector-admin.js";
import { RegistryAdmin } from "./registries/registry-admin.js";
import { RetentionSweeper } from "./retention/retention-sweeper.js";
import { applyManagedChanges } from "./connectors/apply-managed-changes.js";
import { EgressPolicy } from "./mcp/egress-policy.js";
import { openStores } from "./store/open-stores.js";
import type { RegistryMirror } from "./store/registry-mirror.js";
import type { Stores } from "./store/stores.js";

/** How long one provider's model list is reused, and how long it may take to fetch. */
const MODEL_LIST_TTL_MS = 30_000;
const MODEL_LIST_TIMEOUT_MS = 10_000;

export interface Runtime {
  app: PatchbayApp;
  /**
   * Graceful stop (PRODUCT.md §7): running responses get `graceMs` to finish, the rest end with
   * `response.failed` and are stored; then MCP sessions and the stores close. Default grace 0
   * (tests); `main.ts` passes the configured grace.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

export interface RuntimeOptions {
  logger: Logger;
  chatModelFactory?: ChatModelFactory;
  /** Process metrics (CPU, memory, event loop) in `/metrics`; off in tests. */
  defaultMetrics?: boolean;
}

export async function createRuntime(
  config: PatchbayConfig,
  options: RuntimeOptions,
): Promise<Runtime> {
  const stores = await openStores(config.storage.backend, { logger: options.logger });
  try {
    return await composeRuntime(config, options, stores);
  } catch (error) {
    await stores.close();
    throw error;
  }
}

async function composeRuntime(
  config: PatchbayConfig,
  options: RuntimeOptions,
  stores: Stores,
): Promise<Runtime> {
  const { responses, conversations, mirror, managedConnectors, managedRegistries } = stores;
  const telemetry = new PrometheusTelemetry({ defaultMetrics: options.defaultMetrics ?? false });
  const factory =
    options.chatModelFactory ??
    ((provider) => createOpenAIChatModel(provider, config.server.inference.limits));
  const models = new ModelRouter(
    config.inference,
    (provider) => new InstrumentedChatModel(factory(provider), provider.providerId, telemetry),
  );
  const modelCatalog = new ModelCatalog({
    providers: config.inference,
    providerFor: (model) => {
      try {
        return models.resolve(model);
      } catch {
        return null;
      }
    },
    list: listProviderModels,
    limits: {
      timeoutMs: MODEL_LIST_TIMEOUT_MS,
      maxBytes: config.server.inference.limits.maxResponseBytes,
    },
    ttlMs: MODEL_LIST_TTL_MS,
    logger: options.logger,
  });
  const health = new ConnectorHealthBook();
  const mcp = new InstrumentedMcpClient(new SdkMcpClient({ limits: config.server.mcp.limits }), [
    telemetry,
    health,
  ]);
  const registries = new RegistrySyncs({
    registries: config.registries,
    createClient: (registry) =>
      new HttpRegistryClient({
        baseUrl: registry.url,
        headers: registry.headers,
        maxBodyBytes: config.server.registries.maxBodyBytes,
      }),
    mirror,
    logger: options.logger,
    failureCacheMs: config.server.registries.failureCacheMs,
    locks: stores.locks,
  });
  const registryAdmin = new RegistryAdmin(config.registries, managedRegistries, registries, mirror);
  await registryAdmin.loadStored();
  registries.startAll();
  void dropOrphanMirrors(
    mirror,
    new Set(registries.list().map((sync) => sync.registry.id)),
    options.logger,
  );
  const connectors = new CompositeConnectorCatalog({
    config: config.connectors,
    managed: managedConnectors,
    registries,
    mirror,
  });
  const admin = {
    connectors: new ConnectorAdmin(config.connectors, managedConnectors, health),
    registries: registryAdmin,
  };
  const changeApplier = applyManagedChanges({
    changes: stores.changes,
    catalog: connectors,
    mcp,
    registries: registryAdmin,
    logger: options.logger,
  });
  const retention =
    config.storage.retentionDays === null
      ? null
      : new RetentionSweeper({
          retentionDays: config.storage.retentionDays,
          responses,
          locks: stores.locks,
          logger: options.logger,
        });
  const egress = new EgressPolicy(config.server.mcp.egress);
  logEgressPolicy(config, options.logger);
  const app = createApp({
    config,
    models,
    modelCatalog,
    mcp,
    connectors,
    registries,
    admin,
    egress,
    stores: { responses, backgroundRuns: stores.backgroundRuns, conversations, mirror },
    logger: options.logger,
    telemetry,
    metrics: telemetry,
    health,
  });
  app.responses.startLeaseSweep();
  retention?.start();
  return {
    app,
    async close(options = {}) {
      await app.responses.shutdown(options.graceMs ?? 0);
      await changeApplier.stop();
      await retention?.stop();
      await registries.stopAll();
      await mcp.close();
      await stores.close();
    },
  };
}

/** Says at startup what a user's `server_url` may reach: the default depends on the API keys. */
function logEgressPolicy(config: PatchbayConfig, logger: Logger): void {
  // Registry remotes are guarded even when server_url is not accepted.
  const { egress } = config.server.mcp;
  logger.info(
    {
      block_private: egress.blockPrivate,
      allow_cidrs: egress.allowCidrs,
      deny_cidrs: egress.denyCidrs,
    },
    egress.blockPrivate
      ? "server_url egress (registry remotes too): private, loopback, CGNAT, ULA and unspecified addresses are blocked unless allow_cidrs opens them"
      : "server_url egress (registry remotes too): private and loopback addresses are allowed (block_private is off; it defaults to on once API keys are configured)",
  );
}

/** Mirrors of registries no longer configured are dropped, with their connector ids. */
async function dropOrphanMirrors(
  mirror: RegistryMirror,
  configured: ReadonlySet<string>,
  logger: Logger,
): Promise<void> {
  try {
    for (const registryId of await mirror.registryIds()) {
      if (configured.has(registryId)) continue;
      await mirror.deleteRegistry(registryId);
      logger.info(
        { registry_id: registryId },
        "dropped the mirror of a registry no longer configured",
      );
    }
  } catch (error) {
    logger.warn({ err: error }, "could not drop orphan registry mirrors");
  }
}
