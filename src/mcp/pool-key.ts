/**
 * Which pooled sessions and cached `tools/list` results a target may share (ADR 0023). `key` covers
 * everything sent, the credentials' secret included, so a session or listing is never shared
 * across different credentials. `lineage` is the same with the credentials' *subject* in place of
 * their secret: a refreshed token of the same subject lands on the same lineage under a new key,
 * and the client then retires the old key's sessions instead of keeping both.
 */
import { createHash } from "node:crypto";
import * as z from "zod";
import { compareStrings } from "../lib/compare-strings.js";
import type { Credentials } from "./credentials.js";
import type { McpServerTarget } from "./mcp-client.js";

export interface PoolKey {
  key: string;
  lineage: string;
}

export function poolKey(target: McpServerTarget): PoolKey {
  const headers = Object.entries(target.headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .sort(([left], [right]) => compareStrings(left, right));
  const credentials = target.credentials;
  const prefix = `${target.transport} ${target.egress ? "guarded" : "open"}`;
  const digest = (identity: string): string =>
    createHash("sha256")
      .update(JSON.stringify([headers, identity]))
      .digest("hex");
  return {
    key: `${prefix} ${digest(credentials === undefined ? "" : secretOf(credentials))} ${target.url}`,
    lineage: `${prefix} ${digest(credentials === undefined ? "" : subjectOf(credentials))} ${target.url}`,
  };
}

function secretOf(credentials: Credentials): string {
  switch (credentials.kind) {
    case "bearer":
      return `bearer ${credentials.token}`;
  }
}

/**
 * Whose credentials these are, as far as Patchbay can tell without verifying them (it never does:
 * the MCP server does). A JWT names its subject (`iss`, `sub`), stable across refreshes; an opaque
 * token is its own subject, so its refresh is not recognised and its old sessions close when idle.
 * A forged JWT naming someone else's subject can only make that subject's next request reconnect:
 * the secret stays in `key`, so it never gets that subject's session.
 */
function subjectOf(credentials: Credentials): string {
  switch (credentials.kind) {
    case "bearer": {
      const claims = jwtClaims(credentials.token);
      return claims === null
        ? `bearer ${credentials.token}`
        : `jwt ${JSON.stringify([claims.iss, claims.sub])}`;
    }
  }
}

/** The claims that name a JWT's subject; anything else in the payload is ignored. */
const SubjectClaimsSchema = z.looseObject({ iss: z.string().optional(), sub: z.string().min(1) });

function jwtClaims(token: string): { iss: string | null; sub: string } | null {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1] === undefined) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const claims = SubjectClaimsSchema.safeParse(payload);
  return claims.success ? { iss: claims.data.iss ?? null, sub: claims.data.sub } : null;
}
