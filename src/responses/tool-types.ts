/**
 * Tools as echoed in `Response.tools` and stored: secrets removed (reference §1 "Echo", §5.4;
 * PRODUCT.md §8.4). Request-side tool shapes live in `tool-schema.ts`.
 */
import type { RequireApproval, ToolFilter } from "../connectors/connector-schema.js";

export type { RequireApproval, ToolFilter };

export interface FunctionToolEcho {
  type: "function";
  name: string;
  description: string | null;
  parameters: Record<string, unknown> | null;
  strict: boolean | null;
}

export interface McpToolEcho {
  type: "mcp";
  server_label: string;
  server_url?: string;
  connector_id?: string;
  allowed_tools: string[] | ToolFilter | null;
  headers: null;
  require_approval: RequireApproval;
  server_description: string | null;
}

export type EchoedTool = FunctionToolEcho | McpToolEcho;
