/**
 * Llama Stack's Connectors wire shapes (PRODUCT.md §6; docs/decisions/0011): `Connector` and
 * `ToolDef` from `llamastack/llama-stack` `src/llama_stack_api/connectors/models.py` and
 * `src/llama_stack_api/tools/models.py`, field for field, so `llama-stack-client` users can read
 * Patchbay's catalog through `/v1beta/connectors…`.
 */
import type { McpToolDescriptor } from "../mcp/mcp-client.js";
import type { ConnectorListing } from "./connector-listing.js";

/** Llama Stack's `Connector` (`CommonConnectorFields` + server info). */
export interface LlamaStackConnector {
  connector_type: "mcp";
  connector_id: string;
  url: string;
  server_label: string | null;
  server_name: string | null;
  server_description: string | null;
  server_version: string | null;
}

/** Llama Stack's `ToolDef`, as its `list_mcp_tools` fills it (`metadata.endpoint` = the URL). */
export interface LlamaStackToolDef {
  toolgroup_id: string | null;
  name: string;
  description: string | null;
  input_schema: Record<string, unknown> | null;
  output_schema: Record<string, unknown> | null;
  metadata: { endpoint: string };
}

/**
 * `server_label` is the config label or registry title; `server_name`/`server_version` are the
 * registry's name and version (Llama Stack reads them from MCP `serverInfo`, which these mirror).
 */
export function toLlamaStackConnector(listing: ConnectorListing): LlamaStackConnector {
  return {
    connector_type: "mcp",
    connector_id: listing.id,
    url: listing.url ?? "",
    server_label: listing.title,
    server_name: listing.server_name,
    server_description: listing.description,
    server_version: listing.version,
  };
}

/**
 * `endpoint` is `publicUrl(connector.url)` (no credentials, query or fragment: it is echoed to every
 * caller), worked out once per connector rather than per tool.
 */
export function toLlamaStackToolDef(tool: McpToolDescriptor, endpoint: string): LlamaStackToolDef {
  return {
    toolgroup_id: null,
    name: tool.name,
    description: tool.description,
    input_schema: tool.inputSchema,
    output_schema: tool.outputSchema ?? null,
    metadata: { endpoint },
  };
}
