/**
 * The MCP servers of one response: their targets, listed tools, policies, and one lease per
 * server held for the response and released in `finally` (PRODUCT.md §3; issue 4 "one MCP
 * session per server per response").
 */
import type { McpClient, McpLease, McpServerTarget } from "../mcp/mcp-client.js";
import type { ChatTool } from "../inference/chat-model.js";
import { McpFunctionNames } from "./mcp-function-names.js";
import type { McpListedTool, McpListToolsItem } from "./response-types.js";
import type { McpToolEcho, RequireApproval, ToolFilter } from "./tool-types.js";

export interface McpServerRun {
  /** Position in the request's `tools`. */
  index: number;
  serverLabel: string;
  target: McpServerTarget;
  allowedTools: string[] | ToolFilter | null;
  requireApproval: RequireApproval;
  echo: McpToolEcho;
  /** Tools after `allowed_tools`, from this request's listing or from context. */
  tools: McpListedTool[];
  /** The `mcp_list_tools` item to emit, when this request listed the server. */
  listing: McpListToolsItem | null;
  lease: McpLease | null;
}

export class McpToolset {
  readonly names: McpFunctionNames;
  private readonly byLabel: ReadonlyMap<string, McpServerRun>;

  constructor(
    readonly servers: readonly McpServerRun[],
    reservedNames: ReadonlySet<string>,
    private readonly mcp: McpClient,
  ) {
    this.byLabel = new Map(servers.map((server) => [server.serverLabel, server]));
    this.names = new McpFunctionNames(
      servers.map((server) => ({
        serverLabel: server.serverLabel,
        toolNames: server.tools.map((tool) => tool.name),
      })),
      reservedNames,
    );
  }

  server(serverLabel: string): McpServerRun | undefined {
    return this.byLabel.get(serverLabel);
  }

  /** The listed tool, or a bare descriptor when the server no longer lists it. */
  tool(server: McpServerRun, name: string): McpListedTool {
    return (
      server.tools.find((tool) => tool.name === name) ?? {
        name,
        description: null,
        input_schema: {},
        annotations: null,
      }
    );
  }

  /** The functions the model may call, for servers whose tools are in scope. */
  chatTools(only?: string): ChatTool[] {
    return this.servers
      .filter((server) => only === undefined || server.serverLabel === only)
      .flatMap((server) =>
        server.tools.map((tool) => ({
          type: "function" as const,
          function: {
            name: this.names.functionName(server.serverLabel, tool.name),
            ...(tool.description ? { description: tool.description } : {}),
            parameters: tool.input_schema,
          },
        })),
      );
  }

  /** The server's lease for this response, connecting on first use (listings from context). */
  async lease(server: McpServerRun, signal: AbortSignal): Promise<McpLease> {
    server.lease ??= await this.mcp.acquire(server.target, signal);
    return server.lease;
  }

  async releaseAll(): Promise<void> {
    await Promise.all(
      this.servers.map(async (server) => {
        const lease = server.lease;
        server.lease = null;
        await lease?.release();
      }),
    );
  }
}
