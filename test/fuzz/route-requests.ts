/**
 * Random requests against the mounted routes (issue 7 "Hostile input"): the route table is read
 * from the running app, so routes added later are fuzzed too. Paths keep percent-encoding tricks
 * verbatim; methods, query strings, headers and bodies are drawn from hostile sets. Bodies never
 * hold a ':' in any string, so no generated value can parse as a URL Patchbay might fetch (an
 * admin-created registry syncs at once): the fuzzers stay on loopback even if validation failed.
 */
import fc from "fast-check";
import { fromJsonValue, isJsonObject, toJsonText, type JsonTree } from "./json-tree.js";
import { nastyString } from "./nasty-values.js";
import type { RawRequest } from "./raw-http.js";

export interface MountedRoute {
  method: string;
  path: string;
}

export interface RouteRequestOptions {
  routes: readonly MountedRoute[];
  /** Ids that exist (a stored response, a connector, a registry), so handlers get past lookup. */
  knownIds: readonly string[];
  /** Valid `Authorization` values, used about half the time. */
  validAuthorizations: readonly string[];
}

/**
 * Node's HTTP parser answers a request head over 16 KiB itself (431, no envelope, no request id):
 * the hand-picked tests cover that; here targets stay well under it.
 */
const MAX_TARGET_LENGTH = 12_000;

/** A token sent as the caller's connector credential: no answer may contain it. */
export const CONNECTOR_SECRET = "sekret-connector-token";

export const FUZZ_METHODS = [
  "GET",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
  "HEAD",
  "TRACE",
  "PROPFIND",
  "SEARCH",
] as const;

const PATH_TRICKS = [
  "%2e%2e%2fadmin",
  "..%2F..%2Fhealth",
  "%00",
  "%ZZ",
  "%",
  "%2",
  "%252e%252e%252f",
  "%F0%9F%98%80",
  "%C0%AF",
  "%ED%A0%80",
  "%FF",
  "%2F",
  "a%2Fb",
  ".",
  "..",
  "~",
  "%20",
  "%0D%0A",
  "resp_",
  `resp_${"a".repeat(5_000)}`,
  "mcp%3A%3Apublic%3A%3Aio.x%2Fy",
  "__proto__",
  "constructor",
];

/** Percent-encodes every byte outside a conservative set; `%` itself is kept, to allow tricks. */
export function encodeUrlPart(text: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(text)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~!$&'()*+,;=@%]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

const printableHeaderValue = fc
  .string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
    maxLength: 80,
  })
  .map((value) => value.trim());

/** The same JSON with every ':' in keys and strings replaced (see the file comment). */
function withoutColons(tree: JsonTree): JsonTree {
  if (typeof tree === "string") return tree.replaceAll(":", "_");
  if (Array.isArray(tree)) return tree.map(withoutColons);
  if (isJsonObject(tree)) {
    return Object.fromEntries(
      Object.entries(tree).map(([key, value]) => [key.replaceAll(":", "_"), withoutColons(value)]),
    );
  }
  return tree;
}

export function routeRequests(options: RouteRequestOptions): fc.Arbitrary<RawRequest> {
  const segment = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...options.knownIds) },
    { weight: 3, arbitrary: fc.constantFrom(...PATH_TRICKS) },
    { weight: 2, arbitrary: nastyString.map(encodeUrlPart) },
  );
  const routePath = fc
    .tuple(fc.constantFrom(...options.routes), fc.array(segment, { minLength: 4, maxLength: 4 }))
    .map(([route, segments]) => {
      let next = 0;
      const path = route.path.replace(/:[A-Za-z_]+(\{[^}]*\})?/g, () => segments[next++] ?? "x");
      return { path, method: route.method };
    });
  const path = fc.oneof(
    { weight: 6, arbitrary: routePath },
    {
      weight: 1,
      arbitrary: fc
        .tuple(routePath, fc.constantFrom("/", "//", "/x", "/.", "/..", "%2F", "/%00"))
        .map(([route, suffix]) => ({ ...route, path: `${route.path}${suffix}` })),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(segment, { minLength: 0, maxLength: 4 })
        .map((segments) => ({ path: `/${["v1", ...segments].join("/")}`, method: "GET" })),
    },
  );
  const queryValue = fc.oneof(
    fc.constantFrom(
      "1e309",
      "-0",
      "0",
      "1",
      "100",
      "101",
      "-1",
      "0x10",
      "NaN",
      "",
      "asc",
      "desc",
      "true",
      "config",
      "api",
      "registry",
    ),
    fc.constantFrom(...options.knownIds),
    nastyString.map(encodeUrlPart),
  );
  const queryKey = fc.oneof(
    fc.constantFrom(
      "limit",
      "order",
      "after",
      "before",
      "source",
      "registry_id",
      "search",
      "stream",
      "include",
      "include[]",
      "__proto__",
    ),
    nastyString.map(encodeUrlPart),
  );
  const query = fc.oneof(
    fc.constant(""),
    fc.constantFrom(
      "?",
      "?&&&",
      "?=",
      "?limit",
      "?limit=1&limit=2",
      "?order=&order=",
      "?after=",
      "?%ZZ=%ZZ",
    ),
    fc
      .array(fc.tuple(queryKey, queryValue), { minLength: 1, maxLength: 5 })
      .map((pairs) => `?${pairs.map(([key, value]) => `${key}=${value}`).join("&")}`),
  );
  const optionalHeader = (name: string, values: fc.Arbitrary<string>) =>
    fc.option(
      values.map((value): [string, string] => [name, value]),
      { nil: undefined },
    );
  const headers = fc
    .tuple(
      optionalHeader(
        "Authorization",
        fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...options.validAuthorizations) },
          {
            weight: 1,
            arbitrary: fc.constantFrom("Bearer", "Bearer ", "Basic YTpi", "bearer sk-wrong"),
          },
          { weight: 1, arbitrary: printableHeaderValue },
        ),
      ),
      optionalHeader(
        "Content-Type",
        fc.oneof(
          fc.constantFrom(
            "application/json",
            "application/json; charset=latin1",
            "application/merge-patch+json",
            "text/plain",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded",
          ),
          printableHeaderValue,
        ),
      ),
      optionalHeader("X-Request-Id", fc.oneof(fc.constant("fuzz-req-1"), printableHeaderValue)),
      optionalHeader(
        "If-Match",
        fc.oneof(fc.constantFrom("*", '"x"', 'W/"x"'), printableHeaderValue),
      ),
      optionalHeader("Accept", fc.constantFrom("text/event-stream", "*/*", "application/json")),
      optionalHeader(
        "X-Connector-Authorization",
        fc.oneof(fc.constant(`Bearer ${CONNECTOR_SECRET}`), printableHeaderValue),
      ),
    )
    .map((pairs) => pairs.filter((pair): pair is [string, string] => pair !== undefined));
  const body = fc.option(
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc
          .jsonValue({ maxDepth: 3 })
          .map((value) => toJsonText(withoutColons(fromJsonValue(value)))),
      },
      { weight: 1, arbitrary: nastyString.map((text) => text.replaceAll(":", "_")) },
    ),
    { nil: undefined },
  );
  return fc
    .tuple(
      path,
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom(...FUZZ_METHODS) },
      ),
      query,
      headers,
      body,
    )
    .filter(([{ path: target }, , search]) => target.length + search.length <= MAX_TARGET_LENGTH)
    .map(([{ path: target, method: routeMethod }, override, search, headerPairs, payload]) => {
      const method = override ?? routeMethod;
      return {
        method,
        target: `${target}${search}`,
        headers: headerPairs,
        ...(payload !== undefined && method !== "GET" && method !== "HEAD"
          ? { body: payload }
          : {}),
      };
    });
}
