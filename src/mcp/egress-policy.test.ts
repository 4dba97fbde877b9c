import { describe, expect, it } from "vitest";
import { EgressBlockedError } from "../errors/egress-blocked-error.js";
import { EgressPolicy } from "./egress-policy.js";

const policy = (
  config: Partial<{ denyCidrs: string[]; allowCidrs: string[]; blockPrivate: boolean }> = {},
) =>
  new EgressPolicy({ denyCidrs: [], allowCidrs: [], blockPrivate: false, ...config }, (_, done) =>
    done(new Error("no DNS in this test"), []),
  );

describe("EgressPolicy.decide (no packets sent)", () => {
  it.each([
    ["169.254.169.254", "metadata"],
    ["::ffff:169.254.169.254", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["169.254.10.1", "link-local"],
    ["fe80::1", "link-local"],
  ])("always blocks %s (%s)", (address, rule) => {
    expect(policy().decide(address)).toEqual({ allowed: false, rule });
  });

  it("allows public and private addresses by default", () => {
    expect(policy().decide("93.184.216.34")).toEqual({ allowed: true });
    expect(policy().decide("10.1.2.3")).toEqual({ allowed: true });
    expect(policy().decide("127.0.0.1")).toEqual({ allowed: true });
  });

  it.each(["10.1.2.3", "172.20.0.1", "192.168.1.1", "100.64.0.1", "127.0.0.1", "fd12::1", "::1"])(
    "blocks private %s when configured",
    (address) => {
      expect(policy({ blockPrivate: true }).decide(address)).toEqual({
        allowed: false,
        rule: "private",
      });
    },
  );

  it("applies deny_cidrs and lets allow_cidrs win over every rule", () => {
    const configured = policy({
      denyCidrs: ["203.0.113.0/24"],
      allowCidrs: ["169.254.169.254/32", "203.0.113.7"],
    });
    expect(configured.decide("203.0.113.9")).toEqual({ allowed: false, rule: "deny_cidrs" });
    expect(configured.decide("203.0.113.7")).toEqual({ allowed: true });
    expect(configured.decide("169.254.169.254")).toEqual({ allowed: true });
  });
});

describe("EgressPolicy.decide on IPv4 embedded in IPv6 (no packets sent)", () => {
  it.each([
    ["::ffff:169.254.169.254", "metadata"],
    ["::ffff:a9fe:a9fe", "metadata"],
    ["64:ff9b::169.254.169.254", "metadata"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["2002:a9fe:a9fe::1", "metadata"],
    ["::169.254.169.254", "metadata"],
    ["::ffff:169.254.1.1", "link-local"],
    ["2002:a9fe:0101::", "link-local"],
  ])("always blocks %s (%s)", (address, rule) => {
    expect(policy().decide(address)).toEqual({ allowed: false, rule });
  });

  it.each([
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "64:ff9b::10.0.0.1",
    "2002:c0a8:0101::1",
    "::10.1.2.3",
    "::ffff:100.64.0.1",
    "::",
    "::1",
  ])("judges %s as the private IPv4 address it carries", (address) => {
    expect(policy({ blockPrivate: true }).decide(address)).toEqual({
      allowed: false,
      rule: "private",
    });
    expect(policy().decide(address)).toEqual({ allowed: true });
  });

  it("lets allow_cidrs open an embedded address by either spelling, and leaves other IPv6 alone", () => {
    const open = policy({ blockPrivate: true, allowCidrs: ["10.0.0.0/8", "::1/128"] });
    expect(open.decide("::ffff:10.9.9.9")).toEqual({ allowed: true });
    expect(open.decide("64:ff9b::a09:909")).toEqual({ allowed: true });
    expect(open.decide("::1")).toEqual({ allowed: true });
    expect(policy({ blockPrivate: true }).decide("2001:db8::a9fe:a9fe")).toEqual({
      allowed: true,
    });
    expect(policy({ denyCidrs: ["203.0.113.0/24"] }).decide("2002:cb00:7107::")).toEqual({
      allowed: false,
      rule: "deny_cidrs",
    });
  });
});

type Resolved = Array<{ address: string; family: number }>;

/** A policy whose resolver answers `resolved` for every name, counting the lookups. */
function resolving(resolved: Resolved, config: Parameters<typeof policy>[0] = {}) {
  const calls: string[] = [];
  const guarded = new EgressPolicy(
    { denyCidrs: [], allowCidrs: [], blockPrivate: false, ...config },
    (host, callback) => {
      calls.push(host);
      callback(null, resolved);
    },
  );
  const lookup = (host: string, options: { all?: boolean; family?: number }) =>
    new Promise<{ error: Error | null; address: unknown; family: unknown }>((resolve) =>
      guarded.lookup(host, options, (error, address, family) =>
        resolve({ error, address, family }),
      ),
    );
  return { guarded, calls, lookup };
}

describe("EgressPolicy.lookup (what a guarded connection resolves through)", () => {
  it("refuses the connection when any address of the name is blocked", async () => {
    const { lookup } = resolving([
      { address: "93.184.216.34", family: 4 },
      { address: "169.254.169.254", family: 4 },
    ]);
    const { error } = await lookup("sneaky.example", { all: true });
    expect(error).toBeInstanceOf(EgressBlockedError);
    expect(error).toMatchObject({ rule: "metadata", address: "169.254.169.254" });
    expect(error?.message).toContain("'sneaky.example' resolves to 169.254.169.254");
  });

  it("answers what it resolved, in both callback forms, keeping only the family asked for", async () => {
    const both: Resolved = [
      { address: "2606:2800:220:1::1", family: 6 },
      { address: "93.184.216.34", family: 4 },
    ];
    const { lookup, calls } = resolving(both);
    expect(await lookup("example.org", { all: true })).toEqual({
      error: null,
      address: both,
      family: undefined,
    });
    expect(await lookup("example.org", {})).toEqual({
      error: null,
      address: "2606:2800:220:1::1",
      family: 6,
    });
    expect(await lookup("example.org", { family: 4 })).toEqual({
      error: null,
      address: "93.184.216.34",
      family: 4,
    });
    expect(calls).toEqual(["example.org", "example.org", "example.org"]);
  });

  it("blocks a name resolving to loopback once private addresses are blocked", async () => {
    const { lookup } = resolving([{ address: "127.0.0.1", family: 4 }], { blockPrivate: true });
    expect((await lookup("localhost", {})).error).toMatchObject({ rule: "private" });
  });
});

describe("EgressPolicy.checkUrl", () => {
  it("checks IP literals without DNS, bracketed IPv6 included; names are left to the lookup", () => {
    const { guarded, calls } = resolving([{ address: "169.254.169.254", family: 4 }]);
    expect(() => guarded.checkUrl(new URL("http://[fe80::1]:8080/mcp"))).toThrow(
      EgressBlockedError,
    );
    expect(() => guarded.checkUrl(new URL("http://[::ffff:169.254.169.254]/mcp"))).toThrow(
      /metadata/,
    );
    expect(() => guarded.checkUrl(new URL("http://93.184.216.34/mcp"))).not.toThrow();
    expect(() => guarded.checkUrl(new URL("http://sneaky.example/mcp"))).not.toThrow();
    expect(calls).toEqual([]);
  });
});
