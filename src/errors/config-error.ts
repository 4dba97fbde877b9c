/**
 * The configuration is invalid. `main.ts` prints every issue (each naming its path, e.g.
 * `providers.agents[0].config.connectors[2].url`) and exits with code 2 (PRODUCT.md §2, §8.18).
 */
export class ConfigError extends Error {
  readonly issues: string[];

  constructor(issues: string[], options?: { cause?: unknown }) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`, options);
    this.name = "ConfigError";
    this.issues = issues;
  }
}
