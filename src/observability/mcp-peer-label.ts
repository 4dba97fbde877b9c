/**
 * The bounded labels of an MCP peer for metrics (issue 12 §4, ADR 0026): a config or admin
 * connector by its id (an admin chose it); a registry connector by its registry id, since a mirror
 * holds thousands of servers any user may pick; every user `server_url` as one bucket with an
 * empty `connector`. `source` keeps a connector id from ever reading as a registry id or a bucket.
 */
import type { McpPeer } from "./telemetry.js";

export interface McpPeerLabels {
  source: "config" | "api" | "registry" | "server_url";
  connector: string;
}

export function mcpPeerLabels(peer: McpPeer): McpPeerLabels {
  if (peer.kind === "server_url") return { source: "server_url", connector: "" };
  if (peer.source === "registry") return { source: "registry", connector: peer.registryId ?? "" };
  return { source: peer.source, connector: peer.connectorId };
}
