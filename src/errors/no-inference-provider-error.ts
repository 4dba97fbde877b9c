/**
 * A request named a model but no inference provider is configured to serve it (PRODUCT.md §2
 * "Inference": `providers.inference[]`). A server-side misconfiguration, not a client fault, so
 * `toApiError` should keep it a 5xx.
 */
export class NoInferenceProviderError extends Error {
  readonly model: string;

  constructor(model: string) {
    super(
      `No inference provider is configured to serve model '${model}'; add one under providers.inference.`,
    );
    this.name = "NoInferenceProviderError";
    this.model = model;
  }
}
