import type { ChatModel } from "./chat-model.js";
import { OpenAIChatModel } from "./openai-chat-model.js";
import type { InferenceLimitsConfig, InferenceProviderConfig } from "../config/patchbay-config.js";
import { DEFAULT_INFERENCE_LIMITS } from "../config/resolve-config.js";
import { NoInferenceProviderError } from "../errors/no-inference-provider-error.js";

/** Builds the `ChatModel` for one provider; injected so tests can substitute their own. */
export type ChatModelFactory = (provider: InferenceProviderConfig) => ChatModel;

export interface ResolvedModel {
  chatModel: ChatModel;
  /** The model name as the provider knows it (the `provider_id/` prefix removed). */
  upstreamModel: string;
  providerId: string;
}

/**
 * Every provider type speaks OpenAI-compatible Chat Completions, so one adapter serves them all;
 * `limits` (`server.inference.*`) apply to every provider.
 */
export function createOpenAIChatModel(
  provider: InferenceProviderConfig,
  limits: InferenceLimitsConfig = DEFAULT_INFERENCE_LIMITS,
): ChatModel {
  return new OpenAIChatModel({
    baseUrl: provider.baseUrl,
    apiKey: provider.apiKey,
    timeoutMs: provider.timeoutMs,
    limits,
  });
}

/**
 * Picks the provider for a request's `model` (PRODUCT.md §2 "Inference"): `provider_id/model`
 * when the prefix is a configured provider id, otherwise the whole string is a bare model name
 * (which may itself contain `/`, as in `Qwen/Qwen3-32B`) for the only or first provider.
 * One `ChatModel` per provider, built once.
 */
export class ModelRouter {
  readonly #providers: { providerId: string; chatModel: ChatModel }[];

  constructor(
    providers: readonly InferenceProviderConfig[],
    createChatModel: ChatModelFactory = createOpenAIChatModel,
  ) {
    this.#providers = providers.map((provider) => ({
      providerId: provider.providerId,
      chatModel: createChatModel(provider),
    }));
  }

  /** Throws `NoInferenceProviderError` when no provider is configured. */
  resolve(model: string): ResolvedModel {
    const slash = model.indexOf("/");
    if (slash > 0 && slash < model.length - 1) {
      const prefix = model.slice(0, slash);
      const provider = this.#providers.find((candidate) => candidate.providerId === prefix);
      if (provider) return { ...provider, upstreamModel: model.slice(slash + 1) };
    }
    const fallback = this.#providers[0];
    if (!fallback) throw new NoInferenceProviderError(model);
    return { ...fallback, upstreamModel: model };
  }
}
