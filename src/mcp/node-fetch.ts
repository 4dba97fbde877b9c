/**
 * A `fetch` for the MCP SDK transports over `node:http`/`node:https` with keep-alive agents,
 * instead of undici's fetch (the same reasoning as ADR 0010 for model calls). The SDK still gets a
 * web `Response` whose body streams; redirects are not followed (the egress guard follows 307/308
 * for user URLs itself).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { KEEP_ALIVE_AGENT_OPTIONS } from "../lib/keep-alive-agent-options.js";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { Readable } from "node:stream";

const NO_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** The SDK's `FetchLike` shape, restated so `mcp/` fetch wrappers need no SDK import. */
export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

const MAX_REDIRECTS = 5;

export interface NodeFetchOptions {
  /**
   * How the agents resolve host names; the egress policy's `lookup` refuses blocked addresses, so
   * each pooled connection is checked once, on the address it actually connects to.
   */
  lookup?: LookupFunction | undefined;
}

/**
 * Follows redirects as `fetch` does by default (unless `redirect: "manual"`): 307/308 keep method
 * and body, 301/302/303 become a GET without body.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): FetchLike {
  const once = createSingleFetch(options);
  return async (input, init = {}) => {
    let url = new URL(input);
    let request = init;
    for (let hop = 0; ; hop++) {
      const response = await once(url, request);
      const location = response.headers.get("location");
      if (
        init.redirect === "manual" ||
        !location ||
        hop >= MAX_REDIRECTS ||
        ![301, 302, 303, 307, 308].includes(response.status)
      )
        return response;
      await response.body?.cancel();
      url = new URL(location, url);
      if (response.status <= 303) request = { ...request, method: "GET", body: null };
    }
  };
}

/** One exchange, no redirects; `url` is already parsed by the caller's redirect loop. */
function createSingleFetch(
  options: NodeFetchOptions,
): (url: URL, init: RequestInit) => Promise<Response> {
  const agentOptions =
    options.lookup === undefined
      ? KEEP_ALIVE_AGENT_OPTIONS
      : { ...KEEP_ALIVE_AGENT_OPTIONS, lookup: options.lookup };
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent(agentOptions);
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
        return;
      }
      const secure = url.protocol === "https:";
      const body = typeof init.body === "string" ? init.body : undefined;
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
      const outgoing = (secure ? httpsRequest : httpRequest)(url, {
        method: init.method ?? "GET",
        headers,
        agent: secure ? https : http,
      });
      let incoming: IncomingMessage | undefined;
      const onAbort = (): void => {
        const reason = signal?.reason instanceof Error ? signal.reason : new Error("aborted");
        if (incoming) incoming.destroy(reason);
        else outgoing.destroy();
        reject(reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const detach = (): void => signal?.removeEventListener("abort", onAbort);
      outgoing.on("error", (error) => {
        detach();
        reject(error);
      });
      outgoing.once("response", (response: IncomingMessage) => {
        incoming = response;
        response.once("close", detach);
        response.on("error", () => undefined);
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (value === undefined) continue;
          for (const one of Array.isArray(value) ? value : [value])
            responseHeaders.append(name, one);
        }
        const status = response.statusCode ?? 0;
        const webBody = NO_BODY_STATUSES.has(status)
          ? null
          : (Readable.toWeb(response) as ReadableStream<Uint8Array>);
        if (webBody === null) response.resume();
        resolve(
          new Response(webBody, {
            status,
            statusText: response.statusMessage ?? "",
            headers: responseHeaders,
          }),
        );
      });
      outgoing.end(body);
    });
}
