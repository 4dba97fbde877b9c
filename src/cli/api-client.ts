/**
 * A tiny fetch client for Patchbay's HTTP API (PRODUCT.md §6): bearer auth, JSON bodies, ids
 * percent-encoded by the caller (§8.9). Non-2xx answers become `ApiRequestError` with the envelope's
 * message and code; a request that gets no answer becomes `ServerUnreachableError`.
 */
import { ApiRequestError, ServerUnreachableError } from "./cli-errors.js";
import { ErrorEnvelopeSchema } from "./api-schemas.js";

/** One request: query values left `undefined` are not sent. */
export interface ApiRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  headers?: Record<string, string | undefined>;
}

/** A 2xx answer: the parsed JSON body and the `ETag` (used with `--if-match`). */
export interface ApiResponse {
  status: number;
  body: unknown;
  etag: string | null;
}

/** Where to send requests and with which key (none: no `Authorization` header). */
export interface ApiClientOptions {
  /** Server base URL, e.g. `http://127.0.0.1:8321` (a trailing `/` is fine). */
  baseUrl: string;
  apiKey: string | undefined;
  fetch?: typeof fetch;
}

/** Talks to one Patchbay server; see the module comment. */
export class ApiClient {
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#apiKey = options.apiKey;
    this.#fetch = options.fetch ?? fetch;
  }

  async request(request: ApiRequest): Promise<ApiResponse> {
    const url = new URL(`${this.baseUrl}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    if (request.body !== undefined) headers["content-type"] = "application/json";
    for (const [name, value] of Object.entries(request.headers ?? {}))
      if (value !== undefined) headers[name.toLowerCase()] = value;

    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      });
      text = await response.text();
    } catch (error) {
      throw new ServerUnreachableError(this.baseUrl, error);
    }
    const body = parseJson(text);
    if (!response.ok) throw toApiRequestError(response, body, text);
    if (body === undefined)
      throw new ApiRequestError(
        `expected JSON from ${request.method} ${url.pathname}, got ${describeText(text)}`,
        response.status,
        null,
      );
    return { status: response.status, body, etag: response.headers.get("etag") };
  }
}

function toApiRequestError(response: Response, body: unknown, text: string): ApiRequestError {
  const envelope = ErrorEnvelopeSchema.safeParse(body);
  if (envelope.success) {
    const { message, code, type } = envelope.data.error;
    return new ApiRequestError(message, response.status, code ?? type ?? null);
  }
  const reason = response.statusText || "error";
  return new ApiRequestError(
    `HTTP ${response.status} ${reason}: ${describeText(text)}`,
    response.status,
    null,
  );
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeText(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, " ");
  if (trimmed === "") return "an empty body";
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed;
}
