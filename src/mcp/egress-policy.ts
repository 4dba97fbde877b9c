/**
 * Where a user-supplied `server_url` may connect (PRODUCT.md §7): checked after DNS resolution for
 * every address the name resolves to, before connecting and on every redirect. Cloud-metadata and
 * link-local addresses are always blocked; `deny_cidrs` and, if asked, private ranges too;
 * `allow_cidrs` exempts. Admin-defined connectors never pass through here.
 */
import { lookup } from "node:dns/promises";
import { isIP, type BlockList } from "node:net";
import type { EgressConfig } from "../config/patchbay-config.js";
import { EgressBlockedError } from "../errors/egress-blocked-error.js";
import { toBlockList } from "../lib/cidr.js";

export type EgressDecision = { allowed: true } | { allowed: false; rule: string };

export type Resolver = (host: string) => Promise<string[]>;

const METADATA = toBlockList(["169.254.169.254/32", "fd00:ec2::254/128", "169.254.170.2/32"]);
const LINK_LOCAL = toBlockList(["169.254.0.0/16", "fe80::/10"]);
const PRIVATE = toBlockList([
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "0.0.0.0/8",
  "fc00::/7",
  "::1/128",
  "::/128",
]);

/** Addresses whose decision is remembered; the memo starts over when it is full. */
const MAX_REMEMBERED_DECISIONS = 4_096;

const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

export class EgressPolicy {
  readonly #allow: BlockList;
  readonly #deny: BlockList;
  readonly #blockPrivate: boolean;
  readonly #resolve: Resolver;
  readonly #decisions = new Map<string, EgressDecision>();

  constructor(config: EgressConfig, resolve: Resolver = systemResolver) {
    this.#allow = toBlockList(config.allowCidrs);
    this.#deny = toBlockList(config.denyCidrs);
    this.#blockPrivate = config.blockPrivate;
    this.#resolve = resolve;
  }

  /**
   * The decision for one IP address (no I/O): what the tests exercise for off-loopback ranges.
   * Memoised per address: the policy never changes, and `BlockList.check` allocates a
   * `SocketAddress` per rule on every MCP request otherwise.
   */
  decide(address: string): EgressDecision {
    const known = this.#decisions.get(address);
    if (known !== undefined) return known;
    if (this.#decisions.size >= MAX_REMEMBERED_DECISIONS) this.#decisions.clear();
    const decision = this.#decideUncached(address);
    this.#decisions.set(address, decision);
    return decision;
  }

  #decideUncached(address: string): EgressDecision {
    const ip = unmapIpv4(address);
    const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
    if (this.#allow.check(ip, family)) return { allowed: true };
    if (METADATA.check(ip, family)) return { allowed: false, rule: "metadata" };
    if (LINK_LOCAL.check(ip, family)) return { allowed: false, rule: "link-local" };
    if (this.#deny.check(ip, family)) return { allowed: false, rule: "deny_cidrs" };
    if (this.#blockPrivate && PRIVATE.check(ip, family)) return { allowed: false, rule: "private" };
    return { allowed: true };
  }

  /** Resolves the URL's host and throws `EgressBlockedError` if any address is blocked. */
  async check(url: URL): Promise<void> {
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const addresses = isIP(host) ? [host] : await this.#resolve(host);
    for (const address of addresses) {
      const decision = this.decide(address);
      if (!decision.allowed) throw new EgressBlockedError(url.hostname, address, decision.rule);
    }
  }
}

/** `::ffff:169.254.169.254` is the IPv4 address for every rule above. */
function unmapIpv4(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match?.[1] ?? address;
}
