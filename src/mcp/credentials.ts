/**
 * What proves a caller to an MCP server, kept apart from a target's other headers so that the
 * session pool can tell whose a session is without reading the secret into its key (ADR 0023).
 * Today a bearer token (a request's `authorization`, `X-Connector-Authorization`); an encrypted
 * per-user vault will add `{kind: "vault", ref}`, resolved to a token where the session connects.
 */
export type Credentials = { kind: "bearer"; token: string };

/** A caller's token, with or without its `Bearer ` scheme (the scheme is case-insensitive). */
export function bearerCredentials(value: string): Credentials {
  return { kind: "bearer", token: value.trim().replace(/^bearer\s+/i, "") };
}

/** The `Authorization` header value that presents `credentials`. */
export function authorizationHeader(credentials: Credentials): string {
  switch (credentials.kind) {
    case "bearer":
      return `Bearer ${credentials.token}`;
  }
}

/**
 * `headers` as sent: with `credentials`, their `Authorization` replaces any other spelling of it
 * (an admin- or registry-set one), so the header is never sent twice.
 */
export function withCredentials(
  headers: Record<string, string>,
  credentials: Credentials | undefined,
): Record<string, string> {
  if (credentials === undefined) return headers;
  const others = Object.entries(headers).filter(([name]) => name.toLowerCase() !== "authorization");
  return { ...Object.fromEntries(others), Authorization: authorizationHeader(credentials) };
}
