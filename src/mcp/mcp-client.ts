/**
 * The MCP port: what the Responses engine needs from remote MCP servers (PRODUCT.md §3, §4).
 * The only adapter, `SdkMcpClient`, wraps `@modelcontextprotocol/sdk` (the only importer of it),
 * pools sessions across requests keyed by `poolKey` (never shared across credentials) and caches
 * `tools/list` briefly.
 */
import type { LookupFunction } from "node:net";
import type { McpTransport } from "../connectors/connector-schema.js";
import type { McpPeer } from "../observability/telemetry.js";
import type { Credentials } from "./credentials.js";

/**
 * A failed tool call as `mcp_call.error` (reference §2.2). Defined here, on the port, so `mcp/`
 * never imports `responses/`; `responses/response-types.ts` re-exports it.
 */
export type McpToolCallError =
  | { type: "mcp_protocol_error"; code: number; message: string }
  | { type: "mcp_tool_execution_error"; content: unknown[] }
  | { type: "http_error"; code: number; message: string };

/**
 * Where and how to reach one MCP server, built by `toMcpTarget` (connectors/to-mcp-target.ts), the
 * one place that turns a connector or a user's `server_url` into a target.
 */
export interface McpServerTarget {
  url: string;
  transport: McpTransport;
  /** Headers the admin, the registry or the caller set; never the caller's credentials. */
  headers: Record<string, string>;
  /** The caller's credentials, sent as `Authorization`; absent: none (an admin header may be). */
  credentials?: Credentials | undefined;
  /** Per-request timeout for every MCP request to this server. */
  timeoutMs: number;
  /** Set for user `server_url`s and registry remotes: every fetched URL is checked (PRODUCT.md §7). */
  egress?: EgressGuard | undefined;
  /** Who this is, for telemetry and connector health; absent: an unnamed user `server_url`. */
  peer?: McpPeer | undefined;
}

/** Where a user-supplied `server_url` may connect (PRODUCT.md §7); see `EgressPolicy`. */
export interface EgressGuard {
  /** Throws `EgressBlockedError` for an IP-literal host that may not be contacted (no DNS). */
  checkUrl(url: URL): void;
  /** `net.connect`'s lookup for guarded connections: fails with `EgressBlockedError` when blocked. */
  lookup: LookupFunction;
}

export interface McpToolDescriptor {
  name: string;
  description: string | null;
  inputSchema: Record<string, unknown>;
  /** MCP `outputSchema` when the server declared one (Llama Stack's `ToolDef.output_schema`). */
  outputSchema?: Record<string, unknown>;
  /** MCP `annotations` as the server sent them (only `readOnlyHint` is used). */
  annotations: { readOnlyHint?: boolean } | null;
}

export type McpCallOutcome = { ok: true; output: string } | { ok: false; error: McpToolCallError };

/**
 * One server's session for the duration of one response. `release()` returns it to the pool
 * (or closes it if it broke); callers release in `finally`.
 */
export interface McpLease {
  /**
   * The protocol revision this server and Patchbay agreed on: `2026-07-28` found by
   * `server/discover`, or the `initialize` answer's (`2025-11-25` … `2024-11-05`); null if the
   * server gave none (ADR 0027).
   */
  readonly protocolRevision: string | null;
  /** Cached across requests for a short TTL, keyed like the sessions (`poolKey`). */
  listTools(signal: AbortSignal): Promise<McpToolDescriptor[]>;
  /** Never throws for server-side failures: they come back as a structured `McpToolCallError`. */
  callTool(
    name: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<McpCallOutcome>;
  release(): Promise<void>;
}

/** What a probe learnt. */
export interface McpProbe {
  tools: McpToolDescriptor[];
  protocolRevision: string | null;
}

export interface McpClient {
  /** Connects (or reuses a pooled session). Throws `McpConnectionError` when the server cannot be reached. */
  acquire(target: McpServerTarget, signal: AbortSignal): Promise<McpLease>;
  /**
   * A fresh session (never a pooled one, never the cached listing): connect, initialize,
   * `tools/list`, close. Nothing of it is kept, credentials included. Throws `McpConnectionError`.
   */
  probe(target: McpServerTarget, signal: AbortSignal): Promise<McpProbe>;
  /**
   * Drops the pooled sessions and cached tool listings of every target at `url` (its connector
   * was changed or deleted, possibly on another replica: ADR 0029). Leased sessions close when
   * released; the next acquire connects anew.
   */
  forgetServer(url: string): Promise<void>;
  /** Closes every pooled session. */
  close(): Promise<void>;
}
