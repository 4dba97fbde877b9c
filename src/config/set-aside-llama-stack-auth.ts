import { isPlainObject } from "./substitute-env.js";

/** The substituted `server` block without the Llama Stack auth provider, and what was found. */
export interface SetAsideAuthResult {
  server: unknown;
  ignored: string[];
  issues: string[];
}

/**
 * OGX / Llama Stack files configure authentication as `server.auth.provider_config` (OAuth2, GitHub,
 * Kubernetes…), often switched off by an empty type (`type: ${env.AUTH_PROVIDER:+oauth2_token}`).
 * A switched-off provider is set aside with a warning, so such a file loads unchanged. A provider
 * that is switched on is an issue: Patchbay cannot enforce it, and starting without the
 * authentication the file asks for would open the server (PRODUCT.md §8.2).
 */
export function setAsideLlamaStackAuth(server: unknown): SetAsideAuthResult {
  const auth = isPlainObject(server) ? server["auth"] : undefined;
  if (!isPlainObject(server) || !isPlainObject(auth) || !("provider_config" in auth)) {
    return { server, ignored: [], issues: [] };
  }
  const { provider_config: providerConfig, ...rest } = auth;
  const type: unknown = isPlainObject(providerConfig) ? providerConfig["type"] : null;
  const disabled =
    providerConfig === null || type === null || (typeof type === "string" && type.trim() === "");
  if (!disabled) {
    const what = typeof type === "string" ? `provider '${type}' is` : "providers are";
    return {
      server: { ...server, auth: rest },
      ignored: [],
      issues: [
        `server.auth.provider_config: Llama Stack authentication ${what} not supported; configure server.auth.api_keys instead`,
      ],
    };
  }
  return {
    server: { ...server, auth: rest },
    ignored: ["server.auth.provider_config (disabled: empty type)"],
    issues: [],
  };
}
