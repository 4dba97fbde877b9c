/**
 * Wraps the guarded transport `fetch` (whose agents resolve names through the egress policy's
 * `lookup`) so that an IP-literal host, which skips DNS, is checked before every request and on
 * every redirect (PRODUCT.md §7). Redirects are followed here, at most five, only for 307/308
 * (which keep method and body, as MCP POSTs need); any other 3xx is returned as it is and fails
 * like any bad answer.
 */
import type { EgressGuard } from "./mcp-client.js";
import type { FetchLike } from "./node-fetch.js";

const MAX_REDIRECTS = 5;

export function withEgressGuard(inner: FetchLike, guard: EgressGuard): FetchLike {
  return async (url, init) => {
    let current = new URL(url);
    for (let hop = 0; ; hop++) {
      guard.checkUrl(current);
      const response = await inner(current, { ...init, redirect: "manual" });
      const location = response.headers.get("location");
      if ((response.status !== 307 && response.status !== 308) || !location || hop >= MAX_REDIRECTS)
        return response;
      await response.body?.cancel();
      current = new URL(location, current);
    }
  };
}
