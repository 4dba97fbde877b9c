/**
 * A query parameter or path segment with malformed percent-encoding (`after=%E0%A4%A`) is a 400
 * naming the parameter. The router and the query parser both decode leniently (a bad sequence
 * stays as it is), which made such a value look like a different one, or the parameter absent.
 * Costs nothing on the usual request: URLs without `%` are not looked at.
 */
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { invalidRequest } from "../errors/invalid-request-error.js";

export function rejectMalformedEncoding(): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    if (url.includes("%")) {
      const start = url.indexOf("/", url.indexOf("//") + 2);
      const hash = url.indexOf("#", start);
      const target = hash === -1 ? url.slice(start) : url.slice(start, hash);
      const query = target.indexOf("?");
      const path = query === -1 ? target : target.slice(0, query);
      checkPath(path, handlerPath(matchedRoutes(c)));
      if (query !== -1) checkQuery(target.slice(query + 1));
    }
    return next();
  };
}

/** The template of the route that will answer (`/v1/responses/:response_id`), if any. */
function handlerPath(routes: ReadonlyArray<{ method: string; path: string }>): string | null {
  return routes.findLast((route) => route.method !== "ALL")?.path ?? null;
}

function checkPath(path: string, template: string | null): void {
  const segments = path.split("/");
  const names = template?.split("/") ?? [];
  segments.forEach((segment, index) => {
    if (decodes(segment)) return;
    const name = names[index]?.match(/^:([A-Za-z0-9_]+)/)?.[1] ?? null;
    throw invalidRequest(
      name === null
        ? "Malformed percent-encoding in the request path."
        : `Malformed percent-encoding in path parameter '${name}'.`,
      name,
      "invalid_value",
    );
  });
}

function checkQuery(query: string): void {
  for (const pair of query.split("&")) {
    const equals = pair.indexOf("=");
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const value = equals === -1 ? "" : pair.slice(equals + 1);
    const name = decodes(rawName) ? decodeQueryPart(rawName) : rawName;
    if (!decodes(rawName) || !decodes(value)) {
      throw invalidRequest(
        `Malformed percent-encoding in query parameter '${name}'.`,
        name,
        "invalid_value",
      );
    }
  }
}

function decodes(part: string): boolean {
  if (!part.includes("%")) return true;
  try {
    decodeQueryPart(part);
    return true;
  } catch {
    return false;
  }
}

function decodeQueryPart(part: string): string {
  return decodeURIComponent(part.replaceAll("+", " "));
}
