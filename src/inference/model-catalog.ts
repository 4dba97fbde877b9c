/**
 * `GET /v1/models` (issue 14 §4): the models of every configured provider as one list, each id
 * usable as `model` in a request under the routing rules of `ModelRouter` (README "Model servers
 * and routing"): a model of the provider a bare name routes to is listed bare; any other is listed
 * as `provider_id/model`. Each provider's list is cached for `ttlMs`, shared by concurrent
 * callers; a provider that is down is skipped with one log line (and retried after `ttlMs`), so the
 * route never fails because of a model server.
 */
import type { Logger } from "pino";
import type { InferenceProviderConfig } from "../config/patchbay-config.js";
import { describeError } from "../lib/describe-error.js";
import type { ListModelsLimits, ProviderModel } from "./list-provider-models.js";

/** OpenAI's `Model`. `owned_by` names the provider that serves it. */
export interface ModelObject {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

export type ListModels = (
  provider: InferenceProviderConfig,
  limits: ListModelsLimits,
  signal: AbortSignal,
) => Promise<ProviderModel[]>;

export interface ModelCatalogOptions {
  providers: readonly InferenceProviderConfig[];
  /** Which provider a `model` string goes to (the `ModelRouter`'s rule). */
  providerFor: (model: string) => { providerId: string; upstreamModel: string } | null;
  list: ListModels;
  limits: ListModelsLimits;
  ttlMs: number;
  logger: Logger;
  /** Milliseconds; injectable for tests. */
  now?: () => number;
}

interface CacheEntry {
  expiresAt: number;
  models: Promise<ProviderModel[]>;
}

export class ModelCatalog {
  readonly #options: ModelCatalogOptions;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #now: () => number;

  constructor(options: ModelCatalogOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Every provider's models, in provider order; never rejects because of a provider. */
  async list(): Promise<ModelObject[]> {
    const lists = await Promise.all(
      this.#options.providers.map(async (provider) => ({
        provider,
        models: await this.#providerModels(provider),
      })),
    );
    const seen = new Set<string>();
    return lists.flatMap(({ provider, models }) =>
      models.flatMap((model) => {
        const id = this.#requestName(provider.providerId, model.id);
        if (seen.has(id)) return [];
        seen.add(id);
        return [
          {
            id,
            object: "model" as const,
            created: model.created ?? 0,
            owned_by: provider.providerId,
          },
        ];
      }),
    );
  }

  /** The bare name when it routes back to this provider and model, else `provider_id/model`. */
  #requestName(providerId: string, model: string): string {
    const route = this.#options.providerFor(model);
    if (route?.providerId === providerId && route.upstreamModel === model) return model;
    return `${providerId}/${model}`;
  }

  #providerModels(provider: InferenceProviderConfig): Promise<ProviderModel[]> {
    const now = this.#now();
    const cached = this.#cache.get(provider.providerId);
    if (cached && cached.expiresAt > now) return cached.models;
    const models = this.#options
      .list(provider, this.#options.limits, new AbortController().signal)
      .catch((error: unknown) => {
        this.#options.logger.warn(
          { provider_id: provider.providerId, reason: describeError(error) },
          `GET /v1/models skips provider '${provider.providerId}': its model list is unavailable`,
        );
        return [];
      });
    this.#cache.set(provider.providerId, { expiresAt: now + this.#options.ttlMs, models });
    return models;
  }
}
