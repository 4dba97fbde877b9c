/**
 * Sessions and `tools/list` results per credentials (issue 12 §2, ADR 0023): different credentials
 * never share a session or a cached listing, and a refreshed token of the same subject replaces
 * the old sessions instead of adding to them.
 */
import { describe, expect, it } from "vitest";
import { sdkMcpClientHarness } from "../../test/support/sdk-mcp-client-harness.js";
import { bearerCredentials, type Credentials } from "./credentials.js";

const { fixture, client, target, live } = sdkMcpClientHarness();

/** An unsigned JWT (Patchbay never verifies one) for `sub`, unique per `serial`. */
function jwt(sub: string, serial: number): Credentials {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const payload = {
    iss: "https://issuer.test",
    sub,
    exp: 2_000_000_000 + serial,
    jti: `t${serial}`,
  };
  return bearerCredentials(`${part({ alg: "none" })}.${part(payload)}.sig${serial}`);
}

/** Each MCP session id the server saw, with every `Authorization` sent on it. */
function authorizationsBySession(headers: Array<Record<string, string>>): Map<string, Set<string>> {
  const sessions = new Map<string, Set<string>>();
  for (const request of headers) {
    const session = request["mcp-session-id"];
    if (session === undefined) continue;
    const seen = sessions.get(session) ?? new Set<string>();
    seen.add(request.authorization ?? "(none)");
    sessions.set(session, seen);
  }
  return sessions;
}

describe("SdkMcpClient with credentials", () => {
  it("sends the credentials as Authorization, replacing an admin-set one", async () => {
    const server = await fixture({ requireBearer: "tok-1" });
    const mcp = client();
    const lease = await mcp.acquire(
      target(server.url, {
        headers: { authorization: "Bearer admin-token", "X-Tenant": "t1" },
        credentials: bearerCredentials("Bearer tok-1"),
      }),
      live(),
    );
    await lease.listTools(live());
    await lease.release();
    expect(server.requestHeaders.at(-1)).toMatchObject({
      authorization: "Bearer tok-1",
      "x-tenant": "t1",
    });
  });

  it("keeps one open session across 20 token refreshes of one subject", async () => {
    const server = await fixture();
    const mcp = client();
    for (let serial = 0; serial < 20; serial += 1) {
      const lease = await mcp.acquire(
        target(server.url, { credentials: jwt("alice", serial) }),
        live(),
      );
      await lease.callTool("echo", { message: String(serial) }, live());
      await lease.release();
      expect(mcp.openSessions).toBe(1);
    }
    expect(server.counters.initialize).toBe(20);
  });

  it("closes a superseded session only when the response holding it lets go", async () => {
    const server = await fixture();
    const mcp = client();
    const old = await mcp.acquire(target(server.url, { credentials: jwt("alice", 1) }), live());
    const fresh = await mcp.acquire(target(server.url, { credentials: jwt("alice", 2) }), live());
    expect(mcp.openSessions).toBe(2);
    const outcome = await old.callTool("echo", { message: "still mine" }, live());
    expect(outcome).toEqual({ ok: true, output: "Echo: still mine" });
    await old.release();
    expect(mcp.openSessions).toBe(1);
    await fresh.release();
    expect(mcp.openSessions).toBe(1);
  });

  it("never shares a session or a cached listing between different credentials", async () => {
    const server = await fixture();
    const mcp = client();
    const everyone: Credentials[] = [
      jwt("alice", 1),
      jwt("bob", 1),
      bearerCredentials("opaque-a"),
      bearerCredentials("opaque-b"),
    ];
    const leases = await Promise.all(
      everyone.map((credentials) => mcp.acquire(target(server.url, { credentials }), live())),
    );
    for (const lease of leases) await lease.listTools(live());
    await Promise.all(
      leases.map((lease, index) => lease.callTool("echo", { message: String(index) }, live())),
    );
    await Promise.all(leases.map((lease) => lease.release()));

    expect(server.counters.listTools).toBe(everyone.length);
    expect(mcp.openSessions).toBe(everyone.length);
    const sessions = authorizationsBySession(server.requestHeaders);
    expect(sessions.size).toBe(everyone.length);
    for (const authorizations of sessions.values()) expect(authorizations.size).toBe(1);

    const again = await mcp.acquire(target(server.url, { credentials: everyone[0] }), live());
    await again.listTools(live());
    await again.release();
    expect(server.counters.listTools).toBe(everyone.length);
  });

  it("does not serve a superseded token's cached listing to the refreshed one", async () => {
    const server = await fixture();
    const mcp = client();
    for (const serial of [1, 2]) {
      const lease = await mcp.acquire(
        target(server.url, { credentials: jwt("alice", serial) }),
        live(),
      );
      await lease.listTools(live());
      await lease.release();
    }
    expect(server.counters.listTools).toBe(2);
  });
});
