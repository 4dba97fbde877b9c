/**
 * Where a user-supplied `server_url` may connect (PRODUCT.md §7). Judged on the address each
 * connection actually uses: the guarded agents resolve names through `lookup`, which refuses the
 * connection when any resolved address is blocked, so one DNS answer is both checked and used (no
 * rebinding window, no second lookup). IP literals skip DNS and are judged by `checkUrl`. Cloud
 * metadata and link-local addresses are always blocked; `deny_cidrs` and, if asked, private ranges
 * too; `allow_cidrs` exempts. An IPv4 address embedded in IPv6 is judged as that IPv4 address.
 * Admin-defined connectors never pass through here.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type BlockList, type LookupFunction } from "node:net";
import type { EgressConfig } from "../config/patchbay-config.js";
import { EgressBlockedError } from "../errors/egress-blocked-error.js";
import { embeddedIpv4, toBlockList } from "../lib/cidr.js";
import type { EgressGuard } from "./mcp-client.js";

export type EgressDecision = { allowed: true } | { allowed: false; rule: string };

/** Resolves a host name to every address (`dns.lookup` with `all: true` by default). */
export type Resolver = (
  host: string,
  callback: (error: Error | null, addresses: LookupAddress[]) => void,
) => void;

const METADATA = toBlockList(["169.254.169.254/32", "fd00:ec2::254/128", "169.254.170.2/32"]);
const LINK_LOCAL = toBlockList(["169.254.0.0/16", "fe80::/10"]);
/** RFC 1918, CGNAT, loopback, unspecified, ULA. */
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

const systemResolver: Resolver = (host, callback) =>
  dnsLookup(host, { all: true, verbatim: true }, callback);

type Candidate = readonly [address: string, family: "ipv4" | "ipv6"];

export class EgressPolicy implements EgressGuard {
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
   * `SocketAddress` per rule otherwise.
   */
  decide(address: string): EgressDecision {
    const known = this.#decisions.get(address);
    if (known !== undefined) return known;
    if (this.#decisions.size >= MAX_REMEMBERED_DECISIONS) this.#decisions.clear();
    const decision = this.#decideUncached(address);
    this.#decisions.set(address, decision);
    return decision;
  }

  /** Throws `EgressBlockedError` when the URL's host is an IP literal the policy blocks. */
  checkUrl(url: URL): void {
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    if (isIP(host) === 0) return;
    const decision = this.decide(host);
    if (!decision.allowed) throw new EgressBlockedError(url.hostname, host, decision.rule);
  }

  /**
   * `net.connect`'s `lookup` for the guarded agents: resolves once, and fails the connection with
   * `EgressBlockedError` if any resolved address is blocked (an attacker's name may mix a public
   * and a private address), else connects to what it resolved.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.#resolve(hostname, (error, resolved) => {
      if (error) return callback(error, "", 0);
      const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
      const addresses = resolved.filter((entry) => wanted === 0 || entry.family === wanted);
      for (const { address } of addresses) {
        const decision = this.decide(address);
        if (!decision.allowed) {
          return callback(new EgressBlockedError(hostname, address, decision.rule), "", 0);
        }
      }
      const first = addresses[0];
      if (first === undefined) {
        const missing: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        missing.code = "ENOTFOUND";
        return callback(missing, "", 0);
      }
      if (options.all === true) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  };

  #decideUncached(address: string): EgressDecision {
    const candidates: Candidate[] = [[address, isIP(address) === 6 ? "ipv6" : "ipv4"]];
    const embedded = embeddedIpv4(address);
    if (embedded !== null) candidates.push([embedded, "ipv4"]);
    const matches = (list: BlockList) =>
      candidates.some(([candidate, family]) => list.check(candidate, family));
    if (matches(this.#allow)) return { allowed: true };
    if (matches(METADATA)) return { allowed: false, rule: "metadata" };
    if (matches(LINK_LOCAL)) return { allowed: false, rule: "link-local" };
    if (matches(this.#deny)) return { allowed: false, rule: "deny_cidrs" };
    if (this.#blockPrivate && matches(PRIVATE)) return { allowed: false, rule: "private" };
    return { allowed: true };
  }
}
