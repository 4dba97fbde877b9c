/**
 * API-key authentication (PRODUCT.md §7, §8.3): `Authorization: Bearer <key>`; missing or unknown
 * key → 401; no keys configured → every route open (the server then binds loopback only).
 * Open routes (`/health`, `/ready`, `/metrics`) never reach this middleware.
 *
 * It also builds the request's principal (PRODUCT.md §9.3): the key's role and identity (its
 * `name`, or a digest of the key when it has none: never the key), plus the end user: the key's
 * fixed `user`, or, for a key with `may_act_for_users`, `X-Patchbay-User` (a route may still take
 * the body's `user`, see `principalOf`). With no keys everyone is the local admin.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { ApiKeyConfig } from "../config/patchbay-config.js";
import { ApiError } from "../errors/api-error.js";
import { invalidRequest } from "../errors/invalid-request-error.js";
import { LOCAL_ADMIN, type Principal } from "../responses/principal.js";
import type { AppEnv } from "./app-env.js";

/** The header naming the end user a `may_act_for_users` key acts for. */
export const END_USER_HEADER = "x-patchbay-user";

const MAX_END_USER_LENGTH = 256;

export function authenticate(apiKeys: readonly ApiKeyConfig[]): MiddlewareHandler<AppEnv> {
  if (apiKeys.length === 0) {
    return async (c, next) => {
      const user = endUserHeader(c);
      c.set("role", "admin");
      c.set("principal", { role: "admin", owner: { key: null, user } });
      c.set("actsForUsers", true);
      return next();
    };
  }
  const keys = apiKeys.map((entry) => ({
    ...entry,
    bytes: Buffer.from(entry.key),
    identity: keyIdentity(entry),
  }));
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
    const named = endUserHeader(c);
    if (named !== null && !found.mayActForUsers) {
      throw new ApiError({
        status: 403,
        type: "permission_error",
        code: "insufficient_permissions",
        param: END_USER_HEADER,
        message: `This API key may not act for end users ('${END_USER_HEADER}'); set may_act_for_users: true on it in server.auth.api_keys.`,
      });
    }
    c.set("role", found.role);
    c.set("principal", {
      role: found.role,
      owner: { key: found.identity, user: found.user ?? named },
    });
    c.set("actsForUsers", found.mayActForUsers);
    return next();
  };
}

/**
 * The request's principal; `bodyUser` (a create request's `user`) names the end user only for a
 * key that may act for users and sent no `X-Patchbay-User` (PRODUCT.md §9.3).
 */
export function principalOf(c: Context<AppEnv>, bodyUser?: string | null): Principal {
  const principal = c.get("principal") ?? LOCAL_ADMIN;
  if (!bodyUser || principal.owner.user !== null || !c.get("actsForUsers")) return principal;
  return { ...principal, owner: { ...principal.owner, user: bodyUser } };
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

/** A key is known by its name; an unnamed one by a digest of it, so the key itself is never stored. */
function keyIdentity(entry: ApiKeyConfig): string {
  if (entry.name !== null) return entry.name;
  return `sha256:${createHash("sha256").update(entry.key).digest("hex").slice(0, 16)}`;
}

function endUserHeader(c: Context<AppEnv>): string | null {
  const value = c.req.header(END_USER_HEADER);
  if (value === undefined) return null;
  const user = value.trim();
  if (user === "" || user.length > MAX_END_USER_LENGTH) {
    throw invalidRequest(
      `'${END_USER_HEADER}' must hold 1 to ${MAX_END_USER_LENGTH} characters.`,
      END_USER_HEADER,
    );
  }
  return user;
}
