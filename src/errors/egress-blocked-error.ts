/**
 * A user-supplied MCP `server_url` resolves to an address the egress policy forbids (PRODUCT.md §7).
 * `rule` names what blocked it: `link-local`, `metadata`, `private`, `deny_cidrs`.
 */
export class EgressBlockedError extends Error {
  readonly rule: string;
  readonly address: string;

  constructor(host: string, address: string, rule: string) {
    super(
      `server_url host '${host}' resolves to ${address}, which the egress policy blocks (${rule}).`,
    );
    this.name = "EgressBlockedError";
    this.rule = rule;
    this.address = address;
  }
}
