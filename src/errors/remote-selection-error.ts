/** Why a registry server cannot be connected to as a remote MCP server (PRODUCT.md §5, §8.7). */
export type RemoteSelectionFailure =
  "missing_variable" | "missing_header" | "no_remote" | "invalid_url";

/**
 * A registry server's remote could not be turned into a concrete endpoint: a URL variable or a
 * required/secret header has no value, the URL it yields is not http(s), or it has no remote at all
 * (packages only). The caller's fault or the publisher's, never the registry's availability:
 * resolution maps it to 400 naming `missing` (PRODUCT.md §5 "Remote selection", §8.7).
 */
export class RemoteSelectionError extends Error {
  readonly code: RemoteSelectionFailure;
  /** The registry server name (`io.github.user/weather`). */
  readonly serverName: string;
  /** The variable or header that lacks a value; null for `no_remote` and `invalid_url`. */
  readonly missing: string | null;

  constructor(
    message: string,
    init: { code: RemoteSelectionFailure; serverName: string; missing?: string | null },
  ) {
    super(message);
    this.name = "RemoteSelectionError";
    this.code = init.code;
    this.serverName = init.serverName;
    this.missing = init.missing ?? null;
  }
}
