import { DEFAULT_REGISTRY_MAX_BODY_BYTES } from "../config/resolve-config.js";
import { RegistryError } from "../errors/registry-error.js";
import { defaultSleep, fetchWithRetry, type RetryPolicy, type Sleep } from "./fetch-with-retry.js";
import { parseRegistryEntry } from "./parse-registry-entry.js";
import { ServerListSchema } from "./registry-response-schema.js";
import type {
  ListServersQuery,
  RegistryClient,
  RegistryPage,
  RegistryServerEntry,
} from "./registry-types.js";
import {
  sendRegistryRequest,
  type RegistryRequestOptions,
  type RegistryResponse,
} from "./send-registry-request.js";
import { toRegistryHttpError } from "./to-registry-http-error.js";

export interface HttpRegistryClientOptions {
  /** Already normalised (PRODUCT.md §8.19): no trailing `/`, no trailing `/v0.1`. */
  baseUrl: string;
  /** Sent with every request (e.g. `authorization` for a private subregistry). */
  headers?: Record<string, string>;
  /** Deadline per request, connect to last body byte. Default 10 s. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429/5xx/timeout/connection failure. Default 3. */
  maxRetries?: number;
  /** Largest body read from the registry. Default 10 MiB. */
  maxBodyBytes?: number;
  fetch?: typeof fetch;
  sleep?: Sleep;
  random?: () => number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RETRIES = 3;

/**
 * The `RegistryClient` adapter for the official MCP Registry API `/v0.1` and the subregistries that
 * implement it (PRODUCT.md §5; reference mcp-registry-api.md §1). Pages are parsed tolerantly —
 * each entry on its own, bad ones skipped and counted — so one odd publisher never stops a sync.
 * Failures are `RegistryError`s; the caller's abort is rethrown untouched.
 */
export class HttpRegistryClient implements RegistryClient {
  readonly #baseUrl: string;
  readonly #request: RegistryRequestOptions;
  readonly #retry: RetryPolicy;

  constructor(options: HttpRegistryClientOptions) {
    this.#baseUrl = options.baseUrl;
    this.#request = {
      fetch: options.fetch ?? globalThis.fetch,
      headers: options.headers ?? {},
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_REGISTRY_MAX_BODY_BYTES,
    };
    this.#retry = {
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      sleep: options.sleep ?? defaultSleep,
      random: options.random ?? Math.random,
    };
  }

  /** `GET /v0.1/servers`; the cursor is passed back exactly as received (it is opaque). */
  async listPage(query: ListServersQuery, signal: AbortSignal): Promise<RegistryPage> {
    const parameters = new URLSearchParams({ limit: String(query.limit) });
    if (query.cursor !== undefined) parameters.set("cursor", query.cursor);
    if (query.updatedSince !== undefined) parameters.set("updated_since", query.updatedSince);
    const operation = "list servers";
    const response = await this.#get(`/v0.1/servers?${parameters.toString()}`, signal);
    if (!isSuccess(response.status)) throw toRegistryHttpError(operation, response);
    const envelope = ServerListSchema.safeParse(parseJsonBody(operation, response.text));
    if (!envelope.success) {
      throw protocolError(`${operation}: the body is not a server list`, envelope.error);
    }
    const entries: RegistryServerEntry[] = [];
    let skipped = 0;
    for (const raw of envelope.data.servers ?? []) {
      const entry = parseRegistryEntry(raw);
      if (entry === null) skipped += 1;
      else entries.push(entry);
    }
    return { entries, skipped, nextCursor: envelope.data.metadata?.nextCursor || null };
  }

  /** `GET /v0.1/servers/{name}/versions/{version}`, both segments encoded (`/` → `%2F`, `+` → `%2B`). */
  async getVersion(
    name: string,
    version: string,
    signal: AbortSignal,
  ): Promise<RegistryServerEntry | null> {
    const operation = `get ${name}@${version}`;
    const path = `/v0.1/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;
    const response = await this.#get(path, signal);
    if (response.status === 404) return null;
    if (!isSuccess(response.status)) throw toRegistryHttpError(operation, response);
    const entry = parseRegistryEntry(parseJsonBody(operation, response.text));
    if (entry === null) throw protocolError(`${operation}: the body is not a usable server entry`);
    return entry;
  }

  #get(pathAndQuery: string, signal: AbortSignal): Promise<RegistryResponse> {
    const url = `${this.#baseUrl}${pathAndQuery}`;
    return fetchWithRetry(
      () => sendRegistryRequest(url, this.#request, signal),
      this.#retry,
      signal,
    );
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function parseJsonBody(operation: string, text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch (error) {
    throw protocolError(`${operation}: the body is not JSON`, error);
  }
}

function protocolError(message: string, cause?: unknown): RegistryError {
  return new RegistryError(`MCP registry ${message}.`, { kind: "protocol", cause });
}
