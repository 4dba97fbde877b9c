/**
 * Resolves and lists a request's `mcp` tools before the response starts (PRODUCT.md §3, §4, §8.5):
 * validates each tool, resolves `connector_id`, makes the target with the caller's credentials
 * (`toMcpTarget`), and lists every server not already listed in context, all in parallel. A
 * listing failure is a 424 in both modes because nothing has been sent yet.
 */
import type { ConnectorCatalog } from "../connectors/connector-catalog.js";
import { resolveConnector } from "../connectors/resolve-connector.js";
import { toListedTool } from "../connectors/to-listed-tool.js";
import { toMcpTarget, type CallerAccess } from "../connectors/to-mcp-target.js";
import { EgressBlockedError } from "../errors/egress-blocked-error.js";
import { InvalidRequestError, invalidRequest } from "../errors/invalid-request-error.js";
import { McpConnectionError } from "../errors/mcp-connection-error.js";
import { ToolListingError } from "../errors/tool-listing-error.js";
import { bearerCredentials } from "../mcp/credentials.js";
import type { EgressGuard, McpClient, McpLease, McpToolDescriptor } from "../mcp/mcp-client.js";
import { newId } from "./ids.js";
import { McpToolset, type McpServerRun } from "./mcp-toolset.js";
import {
  isToolAllowed,
  redactServerUrl,
  toAllowedTools,
  toRequireApproval,
} from "./mcp-tool-policy.js";
import type { ConversationItem, McpListedTool, McpListToolsItem } from "./response-types.js";
import type { McpTool } from "./tool-schema.js";

export interface McpToolDeps {
  mcp: McpClient;
  connectors: ConnectorCatalog;
  allowServerUrl: boolean;
  /** Per MCP request to a user-supplied `server_url` (`server.mcp.timeout_ms`). */
  serverUrlTimeoutMs: number;
  /** Egress policy for user `server_url`s and registry remotes (PRODUCT.md §7); admin connectors are exempt. */
  egress: EgressGuard | null;
}

export async function prepareMcpTools(
  tools: ReadonlyArray<{ tool: McpTool; index: number }>,
  context: readonly ConversationItem[],
  reservedNames: ReadonlySet<string>,
  deps: McpToolDeps,
  signal: AbortSignal,
): Promise<McpToolset> {
  const seenLabels = new Set<string>();
  const servers: McpServerRun[] = [];
  for (const { tool, index } of tools) {
    if (seenLabels.has(tool.server_label)) {
      throw invalidRequest(
        `Duplicate server_label '${tool.server_label}': each mcp tool needs its own label.`,
        `tools[${index}].server_label`,
      );
    }
    seenLabels.add(tool.server_label);
    servers.push(await resolveServer(tool, index, deps, signal));
  }

  const toList = servers.filter((server) => !listedInContext(context, server.serverLabel));
  const leases = await Promise.allSettled(
    toList.map((server) => listServer(server, deps.mcp, signal)),
  );
  const failure = leases.findIndex((result) => result.status === "rejected");
  if (failure !== -1) {
    await Promise.all(
      leases.map(async (result) => {
        if (result.status === "fulfilled") await result.value.lease.release();
      }),
    );
    const reason: unknown = (leases[failure] as PromiseRejectedResult).reason;
    throw listingError(toList[failure]!, reason);
  }
  leases.forEach((result, position) => {
    if (result.status !== "fulfilled") return;
    const server = toList[position]!;
    server.lease = result.value.lease;
    server.tools = result.value.tools
      .map(toListedTool)
      .filter((tool) => isToolAllowed(server.allowedTools, tool));
    server.listing = {
      type: "mcp_list_tools",
      id: newId("mcpl"),
      server_label: server.serverLabel,
      tools: server.tools,
      error: null,
    };
  });
  for (const server of servers) {
    if (server.listing) continue;
    const listed = listedInContext(context, server.serverLabel);
    server.tools = (listed?.tools ?? []).filter((tool) => isToolAllowed(server.allowedTools, tool));
  }
  return new McpToolset(servers, reservedNames, deps.mcp);
}

async function resolveServer(
  tool: McpTool,
  index: number,
  deps: McpToolDeps,
  signal: AbortSignal,
): Promise<McpServerRun> {
  const param = `tools[${index}]`;
  if (tool.tunnel_id !== undefined)
    throw invalidRequest(
      "'tunnel_id' is not supported by this server; use 'server_url' or 'connector_id'.",
      `${param}.tunnel_id`,
    );
  if ((tool.server_url === undefined) === (tool.connector_id === undefined)) {
    throw invalidRequest(
      "An mcp tool needs exactly one of 'server_url' and 'connector_id'.",
      param,
    );
  }
  // Names and values were checked by the tool schema (one header rule everywhere).
  const requestHeaders = tool.headers ?? {};
  if (Object.keys(requestHeaders).some((name) => name.toLowerCase() === "authorization")) {
    throw invalidRequest(
      "Do not send 'Authorization' in 'headers'; pass the token in the tool's 'authorization' field instead.",
      `${param}.headers`,
    );
  }
  const access: CallerAccess = {
    headers: requestHeaders,
    credentials:
      tool.authorization === undefined ? undefined : bearerCredentials(tool.authorization),
  };
  const base = {
    index,
    serverLabel: tool.server_label,
    tools: [] as McpListedTool[],
    listing: null as McpListToolsItem | null,
    lease: null as McpLease | null,
  };

  if (tool.server_url !== undefined) {
    if (!deps.allowServerUrl)
      throw invalidRequest(
        "This server does not accept 'server_url'; use a 'connector_id'.",
        `${param}.server_url`,
      );
    checkEgress(deps.egress, tool.server_url, `${param}.server_url`);
    const requireApproval = toRequireApproval(tool.require_approval) ?? "always";
    const allowedTools = toAllowedTools(tool.allowed_tools);
    return {
      ...base,
      target: toMcpTarget(
        { kind: "server_url", url: tool.server_url, timeoutMs: deps.serverUrlTimeoutMs },
        access,
        deps.egress,
      ),
      allowedTools,
      requireApproval,
      echo: {
        type: "mcp",
        server_label: tool.server_label,
        server_url: redactServerUrl(tool.server_url),
        allowed_tools: allowedTools,
        headers: null,
        require_approval: requireApproval,
        server_description: tool.server_description ?? null,
      },
    };
  }
  const connectorId = tool.connector_id ?? "";
  const connector = await resolveConnector(
    deps.connectors,
    connectorId,
    { in: "body", idParam: `${param}.connector_id`, headersParam: `${param}.headers` },
    access,
    signal,
  );
  const requireApproval =
    toRequireApproval(tool.require_approval) ??
    toRequireApproval(connector.requireApproval) ??
    "always";
  const allowedTools = toAllowedTools(tool.allowed_tools) ?? toAllowedTools(connector.allowedTools);
  return {
    ...base,
    target: toMcpTarget({ kind: "connector", connector }, access, deps.egress),
    allowedTools,
    requireApproval,
    echo: {
      type: "mcp",
      server_label: tool.server_label,
      connector_id: connectorId,
      allowed_tools: allowedTools,
      headers: null,
      require_approval: requireApproval,
      server_description: tool.server_description ?? connector.description,
    },
  };
}

/**
 * Refuses, before any connection, a `server_url` whose host is an IP literal the egress policy
 * blocks (a 400: the caller asked for it). A host name is judged when it is resolved for the
 * connection itself (the guarded agents' `lookup`), so DNS is asked once and what it answers is
 * what gets used; a blocked name fails the listing with 424 `egress_blocked`.
 */
function checkEgress(egress: EgressGuard | null, url: string, param: string): void {
  try {
    egress?.checkUrl(new URL(url));
  } catch (error) {
    if (!(error instanceof EgressBlockedError)) throw error;
    throw new InvalidRequestError(error.message, { param, code: "egress_blocked", cause: error });
  }
}

async function listServer(
  server: McpServerRun,
  mcp: McpClient,
  signal: AbortSignal,
): Promise<{ lease: McpLease; tools: McpToolDescriptor[] }> {
  const lease = await mcp.acquire(server.target, signal);
  try {
    return { lease, tools: await lease.listTools(signal) };
  } catch (error) {
    await lease.release();
    throw error;
  }
}

/** A listing failure, with the server it concerns as the caller named it (`toApiError` → 424). */
function listingError(server: McpServerRun, reason: unknown): unknown {
  if (!(reason instanceof McpConnectionError)) return reason;
  return new ToolListingError(reason, {
    for: "response",
    serverLabel: server.serverLabel,
    server:
      server.echo.connector_id === undefined
        ? `server_url ${server.echo.server_url ?? "(none)"}`
        : `connector_id '${server.echo.connector_id}'`,
  });
}

function listedInContext(
  context: readonly ConversationItem[],
  serverLabel: string,
): McpListToolsItem | undefined {
  return context.findLast(
    (item): item is McpListToolsItem =>
      item.type === "mcp_list_tools" && item.server_label === serverLabel,
  );
}
