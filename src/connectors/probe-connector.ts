/**
 * An admin's probe of one connector (issue 15 §3): resolve it, then connect, initialize and
 * `tools/list` on a fresh session with the caller's token if one is given — never a tool call.
 * Nothing is kept (no pooled session, no cached listing, no token); the probe's outcome reaches
 * the connector's health through the instrumented MCP port. A registry server's remote obeys the
 * egress policy, as in every other use (`toMcpTarget`).
 */
import { McpConnectionError } from "../errors/mcp-connection-error.js";
import type { Credentials } from "../mcp/credentials.js";
import { connectorTarget, type ConnectorToolsDeps } from "./list-connector-tools.js";

/** What the probe found: the tool count, or null when the server could not be listed. */
export interface ConnectorProbe {
  connectorId: string;
  toolCount: number | null;
}

export async function probeConnector(
  deps: ConnectorToolsDeps,
  request: { connectorId: string; credentials: Credentials | undefined },
  signal: AbortSignal,
): Promise<ConnectorProbe> {
  const { connector, target } = await connectorTarget(
    deps,
    request.connectorId,
    request.credentials,
    signal,
  );
  try {
    const probe = await deps.mcp.probe(target, signal);
    return { connectorId: connector.connectorId, toolCount: probe.tools.length };
  } catch (error) {
    if (!(error instanceof McpConnectionError)) throw error;
    return { connectorId: connector.connectorId, toolCount: null };
  }
}
