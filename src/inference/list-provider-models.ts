/**
 * One provider's `GET {base_url}/models` (OpenAI's list-models route, which vLLM, Ollama,
 * llama.cpp and OpenAI all serve), read like every peer answer (PRODUCT.md §9.1): bounded in time
 * by a deadline and in bytes by `server.inference.max_response_bytes`, counted as the body
 * arrives. Tolerant of the rest of the body: only `data[].id` (and `created`) are used.
 */
import { readLimitedBody } from "../lib/read-limited-body.js";
import * as z from "zod";
import type { InferenceProviderConfig } from "../config/patchbay-config.js";
import { withDeadline } from "../lib/deadline.js";

const ModelListSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string().min(1), created: z.number().nullish() })),
});

export interface ProviderModel {
  /** The model name as the provider knows it. */
  id: string;
  /** Unix seconds, when the provider says. */
  created: number | null;
}

export interface ListModelsLimits {
  timeoutMs: number;
  maxBytes: number;
}

/** Rejects with a one-line `Error` (HTTP status, timeout, size, shape) when the list is unusable. */
export function listProviderModels(
  provider: InferenceProviderConfig,
  limits: ListModelsLimits,
  signal: AbortSignal,
): Promise<ProviderModel[]> {
  const url = `${provider.baseUrl.replace(/\/+$/, "")}/models`;
  return withDeadline(signal, limits.timeoutMs, async (deadline) => {
    const response = await fetch(url, {
      headers: {
        accept: "application/json",
        ...(provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {}),
      },
      signal: deadline,
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`GET /models answered HTTP ${response.status}`);
    }
    const text = await readLimitedBody(
      response,
      limits.maxBytes,
      () => new Error(`GET /models answered more than ${limits.maxBytes} bytes`),
    );
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error("GET /models answered something other than JSON");
    }
    const parsed = ModelListSchema.safeParse(json);
    if (!parsed.success) throw new Error("GET /models answered no `data` list of models");
    return parsed.data.data.map((model) => ({ id: model.id, created: model.created ?? null }));
  });
}
