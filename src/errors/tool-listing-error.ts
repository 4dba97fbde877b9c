/**
 * An MCP server's tools could not be listed (an `McpConnectionError`), with what was being listed
 * for. Before a response starts it is a 424 naming the server (reference §5.3); on the live
 * connector-tools routes it is answered as Llama Stack answers it (docs/decisions/0011): the MCP
 * server refusing the caller's token is the caller's 401/403, a timeout a 504, anything else a 502.
 * `toApiError` makes both answers.
 */
import type { McpConnectionError } from "./mcp-connection-error.js";

export type ToolListingPurpose =
  | {
      for: "response";
      serverLabel: string;
      /** The server as the caller named it: `server_url http://host/<redacted>` or `connector_id 'x'`. */
      server: string;
    }
  | {
      for: "connector_tools";
      connectorId: string;
      /** Where the caller's token came from (`X-Connector-Authorization`, `authorization`). */
      credentialsParam: string;
    };

export class ToolListingError extends Error {
  readonly failure: McpConnectionError;
  readonly purpose: ToolListingPurpose;

  constructor(failure: McpConnectionError, purpose: ToolListingPurpose) {
    super(failure.message, { cause: failure });
    this.name = "ToolListingError";
    this.failure = failure;
    this.purpose = purpose;
  }
}
