/**
 * An MCP server's tool as OpenAI's `mcp_list_tools` item lists it (reference §2.1) and as
 * `GET /v1/connectors/{connector_id}/tools` answers it: the one mapping from the MCP descriptor.
 */
import type { McpToolDescriptor } from "../mcp/mcp-client.js";

export interface ListedTool {
  name: string;
  description: string | null;
  input_schema: Record<string, unknown>;
  /** `read_only` is MCP's `readOnlyHint`; null when the server sent no annotations. */
  annotations: { read_only: boolean } | null;
}

export function toListedTool(tool: McpToolDescriptor): ListedTool {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: tool.inputSchema,
    annotations: tool.annotations ? { read_only: tool.annotations.readOnlyHint ?? false } : null,
  };
}
