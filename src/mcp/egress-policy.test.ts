import { describe, expect, it } from "vitest";
import { EgressBlockedError } from "../errors/egress-blocked-error.js";
import { EgressPolicy } from "./egress-policy.js";

const policy = (
  config: Partial<{ denyCidrs: string[]; allowCidrs: string[]; blockPrivate: boolean }> = {},
) =>
  new EgressPolicy({ denyCidrs: [], allowCidrs: [], blockPrivate: false, ...config }, () =>
    Promise.reject(new Error("no DNS in this test")),
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

describe("EgressPolicy.check", () => {
  it("checks every address a name resolves to", async () => {
    const resolving = new EgressPolicy({ denyCidrs: [], allowCidrs: [], blockPrivate: false }, () =>
      Promise.resolve(["93.184.216.34", "169.254.169.254"]),
    );
    await expect(resolving.check(new URL("http://sneaky.example/mcp"))).rejects.toBeInstanceOf(
      EgressBlockedError,
    );
    await expect(resolving.check(new URL("http://sneaky.example/mcp"))).rejects.toMatchObject({
      rule: "metadata",
      address: "169.254.169.254",
    });
  });

  it("checks IP literals without DNS, bracketed IPv6 included", async () => {
    await expect(policy().check(new URL("http://[fe80::1]:8080/mcp"))).rejects.toMatchObject({
      rule: "link-local",
    });
    await expect(policy().check(new URL("http://93.184.216.34/mcp"))).resolves.toBeUndefined();
  });
});
