/**
 * The answer when no route matches: 405 with `Allow` when the path exists under other methods
 * (RFC 9110 §15.5.6), else 404 — with a hint when the path looks like a connector id that was not
 * percent-encoded (`/v1/connectors/mcp::r::io.github.x/y`, whose `/` splits the id in two).
 */
import type { NotFoundHandler } from "hono";
import { ApiError } from "../errors/api-error.js";
import type { AppEnv } from "./app-env.js";
import { errorResponse } from "./error-response.js";

interface MountedRoute {
  method: string;
  path: string;
}

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

const CONNECTOR_PATH = /^\/(v1|v1beta)\/connectors\/(mcp::.*)$/;

/** `routes` is the app's route table once every route is mounted (`app.routes`). */
export function unmatchedRequest(routes: readonly MountedRoute[]): NotFoundHandler<AppEnv> {
  const known = knownPaths(routes);
  return (c) => {
    const path = c.req.path;
    const allowed = allowedMethods(known, path);
    if (allowed.length > 0) {
      const allow = allowed.join(", ");
      return errorResponse(
        c,
        new ApiError({
          status: 405,
          type: "invalid_request_error",
          code: "method_not_allowed",
          message: `Method ${c.req.method} is not allowed on ${path}; use ${allow}.`,
          headers: { allow },
        }),
      );
    }
    return errorResponse(
      c,
      new ApiError({
        status: 404,
        type: "invalid_request_error",
        message: `Unknown request URL: ${c.req.method} ${path}.${encodingHint(path)}`,
      }),
    );
  };
}

function knownPaths(routes: readonly MountedRoute[]): KnownPath[] {
  const byPath = new Map<string, KnownPath>();
  for (const { method, path } of routes) {
    if (method === "ALL" || path.includes("*")) continue;
    let known = byPath.get(path);
    if (!known) {
      known = { pattern: toPattern(path), methods: new Set() };
      byPath.set(path, known);
    }
    known.methods.add(method);
    // Hono answers HEAD from the GET handler.
    if (method === "GET") known.methods.add("HEAD");
  }
  return [...byPath.values()];
}

/** `/v1/responses/:response_id` → a pattern where each parameter is one path segment. */
function toPattern(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) =>
      segment.startsWith(":") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${source}$`);
}

function allowedMethods(known: readonly KnownPath[], path: string): string[] {
  const methods = new Set<string>();
  for (const { pattern, methods: those } of known) {
    if (pattern.test(path)) for (const method of those) methods.add(method);
  }
  return [...methods].sort();
}

/** A hint for an unencoded `mcp::…/…` id; the suggested path keeps a trailing `/tools…`. */
function encodingHint(path: string): string {
  const match = CONNECTOR_PATH.exec(path);
  if (!match || !match[2]?.includes("/")) return "";
  const [, version, rest = ""] = match;
  const tail = /\/tools(\/[^/]+)?$/.exec(rest)?.[0] ?? "";
  const id = rest.slice(0, rest.length - tail.length);
  return ` Connector ids must be percent-encoded whole in a path (encodeURIComponent): /${version}/connectors/${encodeURIComponent(id)}${tail}.`;
}
