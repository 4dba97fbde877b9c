/**
 * Connectors created, changed and deleted at runtime (PRODUCT.md §6, §8.10; issue 6). Validation is
 * the config file's own (`ConnectorEntrySchema`); ids are unique across config and API; config
 * connectors are read-only; PATCH is an RFC 7396 merge patch on the stored representation; every
 * write is committed before it returns, and the catalog reads the store on every request.
 */
import {
  ConnectorEntrySchema,
  toConnectorEntry,
  type ConnectorConfig,
} from "./connector-schema.js";
import {
  createManaged,
  deleteManaged,
  patchManaged,
  redactHeaders,
  type ManagedKindSpec,
  type WithRevision,
} from "../store/managed-write.js";
import type { ExpectedRevision, ManagedConnectorStore, Stored } from "../store/managed-store.js";
import { notFound } from "../errors/not-found-error.js";
import { publicUrl } from "./connector-listing.js";
import { compareStrings } from "../lib/compare-strings.js";
import type {
  ConnectorHealth,
  ConnectorHealthSource,
} from "../observability/connector-health-book.js";

export interface AdminConnector {
  id: string;
  object: "connector";
  source: "config" | "api";
  connector_id: string;
  url: string;
  server_label: string | null;
  description: string | null;
  transport: ConnectorConfig["transport"];
  /** Names only: header values are secrets (API keys) and are never echoed. */
  headers: Record<string, "<redacted>">;
  allowed_tools: ConnectorConfig["allowedTools"];
  require_approval: ConnectorConfig["requireApproval"];
  timeout_ms: number | null;
  created_at: string | null;
  updated_at: string | null;
  /** What this replica saw of the server (issue 15 §3). */
  health: ConnectorHealth;
}

export class ConnectorAdmin {
  readonly #config: ReadonlyMap<string, ConnectorConfig>;

  constructor(
    config: readonly ConnectorConfig[],
    private readonly store: ManagedConnectorStore,
    private readonly health: ConnectorHealthSource,
  ) {
    this.#config = new Map(config.map((connector) => [connector.connectorId, connector]));
  }

  async list(): Promise<AdminConnector[]> {
    const managed = (await this.store.list()).map((stored) =>
      this.#toAdmin(stored.value, "api", stored),
    );
    const fromConfig = [...this.#config.values()].map((connector) =>
      this.#toAdmin(connector, "config", null),
    );
    return [...fromConfig, ...managed].sort((left, right) => compareStrings(left.id, right.id));
  }

  async get(id: string): Promise<WithRevision<AdminConnector>> {
    const fromConfig = this.#config.get(id);
    if (fromConfig) return { body: this.#toAdmin(fromConfig, "config", null), revision: "config" };
    const stored = await this.store.get(id);
    if (!stored) throw notFound("Connector", id, "connector_id");
    return { body: this.#toAdmin(stored.value, "api", stored), revision: stored.revision };
  }

  /** `connector` was validated with `ConnectorEntrySchema` at the door (the route's body schema). */
  async create(connector: ConnectorConfig): Promise<WithRevision<AdminConnector>> {
    const stored = await createManaged(this.#spec, this.store, connector, "connector_id");
    return { body: this.#toAdmin(stored.value, "api", stored), revision: stored.revision };
  }

  async update(
    id: string,
    patch: unknown,
    expected: ExpectedRevision,
  ): Promise<WithRevision<AdminConnector>> {
    const stored = await patchManaged(this.#spec, this.store, id, patch, expected);
    return { body: this.#toAdmin(stored.value, "api", stored), revision: stored.revision };
  }

  async delete(
    id: string,
    expected: ExpectedRevision,
  ): Promise<{ id: string; object: "connector.deleted"; deleted: true }> {
    await deleteManaged(this.#spec, this.store, id, expected);
    return { id, object: "connector.deleted", deleted: true };
  }

  #toAdmin(
    connector: ConnectorConfig,
    source: "config" | "api",
    stored: Stored<ConnectorConfig> | null,
  ): AdminConnector {
    return {
      ...toAdmin(connector, source, stored),
      health: this.health.health(connector.connectorId),
    };
  }

  get #spec(): ManagedKindSpec<ConnectorConfig> {
    return {
      kind: "Connector",
      idParam: "connector_id",
      isConfig: (id) => this.#config.has(id),
      toEntry: toConnectorEntry,
      parse: (entry) => ConnectorEntrySchema.parse(entry),
      idOf: (connector) => connector.connectorId,
    };
  }
}

function toAdmin(
  connector: ConnectorConfig,
  source: "config" | "api",
  stored: Stored<ConnectorConfig> | null,
): Omit<AdminConnector, "health"> {
  return {
    id: connector.connectorId,
    object: "connector",
    source,
    connector_id: connector.connectorId,
    url: source === "config" ? publicUrl(connector.url) : connector.url,
    server_label: connector.serverLabel,
    description: connector.description,
    transport: connector.transport,
    headers: redactHeaders(connector.headers),
    allowed_tools: connector.allowedTools,
    require_approval: connector.requireApproval,
    timeout_ms: connector.timeoutMs,
    created_at: stored?.createdAt ?? null,
    updated_at: stored?.updatedAt ?? null,
  };
}
