import { BlockList, isIP } from "node:net";

/** Parses `a.b.c.d/n`, `x::/n` or a bare address into what `net.BlockList` takes; null if invalid. */
export function parseCidr(
  text: string,
): { address: string; prefix: number; family: "ipv4" | "ipv6" } | null {
  const [address = "", prefixText, extra] = text.trim().split("/");
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return null;
  const max = version === 4 ? 32 : 128;
  const prefix =
    prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

export function isCidr(text: string): boolean {
  return parseCidr(text) !== null;
}

/** A `net.BlockList` holding the given CIDRs (invalid entries are the config validator's concern). */
export function toBlockList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (parsed) list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list;
}

/**
 * The IPv4 address an IPv6 address carries, for the forms that route to it: IPv4-mapped
 * `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4 `2002:AABB:CCDD::…` and the deprecated
 * IPv4-compatible `::a.b.c.d` (but not `::` and `::1`, which are IPv6's own). Null for any other
 * address, including every non-IPv6 text.
 */
export function embeddedIpv4(address: string): string | null {
  const words = ipv6Words(address);
  if (words === null) return null;
  const zeros = (from: number, to: number) => words.slice(from, to).every((word) => word === 0);
  if (words[0] === 0x2002) return toDotted(words[1] ?? 0, words[2] ?? 0);
  const last = toDotted(words[6] ?? 0, words[7] ?? 0);
  if (zeros(0, 5) && words[5] === 0xffff) return last;
  if (words[0] === 0x64 && words[1] === 0xff9b && zeros(2, 6)) return last;
  if (zeros(0, 6) && !(words[6] === 0 && (words[7] ?? 0) <= 1)) return last;
  return null;
}

/** The eight 16-bit words of an IPv6 address (`::` expanded, a trailing dotted quad folded); null if not IPv6. */
function ipv6Words(address: string): number[] | null {
  const bare = address.replace(/%.*$/, "").toLowerCase();
  if (isIP(bare) !== 6) return null;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(bare);
  const hex = dotted
    ? `${bare.slice(0, dotted.index)}${[1, 3]
        .map((at) => ((Number(dotted[at]) << 8) | Number(dotted[at + 1])).toString(16))
        .join(":")}`
    : bare;
  const [head = "", tail] = hex.split("::");
  const headWords = head === "" ? [] : head.split(":");
  const tailWords = tail === undefined || tail === "" ? [] : tail.split(":");
  const gap = tail === undefined ? 0 : 8 - headWords.length - tailWords.length;
  const words = [...headWords, ...Array<string>(gap).fill("0"), ...tailWords].map((word) =>
    Number.parseInt(word, 16),
  );
  return words.length === 8 && words.every((word) => word >= 0 && word <= 0xffff) ? words : null;
}

function toDotted(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}
