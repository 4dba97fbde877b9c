/**
 * API-key authentication (PRODUCT.md §7, §8.3): `Authorization: Bearer <key>`; missing or unknown
 * key → 401; no keys configured → every route open (the server then binds loopback only).
 * Open routes (`/health`, `/ready`, `/metrics`) never reach this middleware.
 */
import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { ApiKeyConfig } from "../config/patchbay-config.js";
import { ApiError } from "../errors/api-error.js";
import type { AppEnv } from "./app-env.js";

export function authenticate(apiKeys: readonly ApiKeyConfig[]): MiddlewareHandler<AppEnv> {
  if (apiKeys.length === 0) {
    return async (c, next) => {
      c.set("role", "admin");
      return next();
    };
  }
  const keys = apiKeys.map((entry) => ({ ...entry, bytes: Buffer.from(entry.key) }));
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const presented = Buffer.from(match?.[1]?.trim() ?? "");
    const found = keys.find(
      (entry) => entry.bytes.length === presented.length && timingSafeEqual(entry.bytes, presented),
    );
    if (!found) {
      throw new ApiError({
        status: 401,
        type: "invalid_request_error",
        code: "invalid_api_key",
        message: match
          ? "Incorrect API key provided."
          : "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.",
      });
    }
    c.set("role", found.role);
    return next();
  };
}

/** 403 for a user key on an admin route (PRODUCT.md §8.3). */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get("role") !== "admin") {
      throw new ApiError({
        status: 403,
        type: "permission_error",
        code: "insufficient_permissions",
        message: "This route needs an admin API key.",
      });
    }
    return next();
  };
}
