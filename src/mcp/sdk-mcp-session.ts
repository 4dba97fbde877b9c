import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode } from "@modelcontextprotocol/sdk/types.js";
import { createIsolatingFetch } from "./create-isolating-fetch.js";
import { withEgressGuard } from "./with-egress-guard.js";
import { describeMcpFailure, type McpFailure } from "./describe-mcp-failure.js";
import type { EgressGuard, McpCallOutcome, McpToolDescriptor } from "./mcp-client.js";
import type { PoolableSession } from "./session-pool.js";
import { toMcpCallError } from "./to-mcp-call-error.js";
import { CallToolResultSchema, toMcpCallOutcome } from "./to-mcp-call-outcome.js";
import { toMcpConnectionError } from "./to-mcp-connection-error.js";
import { ToolsPageSchema, toMcpToolDescriptors } from "./to-mcp-tool-descriptors.js";
import { withDeadline } from "../lib/deadline.js";
import { withLinkedSignal } from "../lib/link-signal.js";
import { untilAborted } from "../lib/until-aborted.js";

/** A transport actually spoken on the wire (`auto` is resolved before a session opens). */
export type WireTransport = "streamable-http" | "sse";

export interface SdkMcpSessionOptions {
  url: string;
  transport: WireTransport;
  headers: Record<string, string>;
  timeoutMs: number;
  clientInfo: { name: string; version: string };
  signal: AbortSignal;
  /** Checks every URL the transport fetches, redirects included (user `server_url` only). */
  egress?: EgressGuard | undefined;
}

/** A server that pages forever (or repeats a cursor) must not hang a listing. */
const MAX_TOOL_PAGES = 100;
/** The polite `DELETE` of a Streamable HTTP session on close waits at most this long. */
const MAX_TERMINATE_MS = 2_000;
/** Reconnecting a dropped stream would leave background timers; a dropped session is replaced instead. */
const NO_RECONNECT = {
  maxRetries: 0,
  initialReconnectionDelay: 1_000,
  maxReconnectionDelay: 1_000,
  reconnectionDelayGrowFactor: 1,
};

type RequestResult<T> = { ok: true; value: T } | { ok: false; failure: McpFailure; error: unknown };
type RequestOptions = { signal: AbortSignal; timeout: number };

/**
 * One initialized MCP session over the SDK `Client` (the only place that touches the SDK's
 * client objects). It turns SDK errors into Patchbay's two shapes: `McpConnectionError` for
 * listing, `McpCallOutcome` for calls (reference §2.2). Any transport-level failure marks it
 * broken, so the pool replaces it rather than handing a dead session to the next response.
 */
export class SdkMcpSession implements PoolableSession {
  /** Called once when the session breaks; the client uses it to evict the session if idle. */
  onBroken: () => void = () => undefined;
  readonly #client: Client;
  readonly #transport: StreamableHTTPClientTransport | SSEClientTransport;
  readonly #timeoutMs: number;
  #broken = false;
  #transportClosed = false;
  #closing: Promise<void> | undefined;

  private constructor(options: SdkMcpSessionOptions) {
    const requestInit = { headers: options.headers };
    const isolating = createIsolatingFetch(() => this.#markBroken());
    const fetch = options.egress ? withEgressGuard(isolating, options.egress) : isolating;
    const url = new URL(options.url);
    this.#transport =
      options.transport === "sse"
        ? new SSEClientTransport(url, { requestInit, fetch })
        : new StreamableHTTPClientTransport(url, {
            requestInit,
            fetch,
            reconnectionOptions: NO_RECONNECT,
          });
    this.#client = new Client(options.clientInfo, { capabilities: {} });
    this.#client.onclose = () => {
      this.#transportClosed = true;
      this.#markBroken();
    };
    this.#timeoutMs = options.timeoutMs;
  }

  /**
   * Connects and initializes within `timeoutMs`. Throws the raw SDK error (or the caller's abort
   * reason) so the client can decide on the `auto` fallback; nothing is left running on failure
   * (the legacy EventSource would otherwise retry every 3 s forever).
   */
  static async open(options: SdkMcpSessionOptions): Promise<SdkMcpSession> {
    const session = new SdkMcpSession(options);
    try {
      // The legacy SSE transport's `start()` waits for the `endpoint` event with no timeout and
      // ignores aborts: a server that accepts the GET and stays silent would hang the connect.
      await withDeadline(options.signal, options.timeoutMs, (signal) =>
        untilAborted(
          session.#client.connect(session.#transport, { signal, timeout: options.timeoutMs }),
          signal,
        ),
      );
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  get broken(): boolean {
    return this.#broken;
  }

  /** All pages of `tools/list`. Throws `McpConnectionError`, or the abort reason of `signal`. */
  async listTools(timeoutMs: number, signal: AbortSignal): Promise<McpToolDescriptor[]> {
    const rawTools: unknown[] = [];
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_PAGES; page += 1) {
      const params = cursor === undefined ? {} : { cursor };
      const result = await this.#request(signal, timeoutMs, (options) =>
        this.#client.request({ method: "tools/list", params }, ToolsPageSchema, options),
      );
      if (!result.ok) {
        if (this.#lacksTools(result.failure)) {
          return [];
        }
        throw toMcpConnectionError(result.failure, result.error);
      }
      rawTools.push(...result.value.tools);
      const next = result.value.nextCursor;
      if (next === null || next === undefined || next === "" || seenCursors.has(next)) {
        break;
      }
      seenCursors.add(next);
      cursor = next;
    }
    return toMcpToolDescriptors(rawTools);
  }

  /** Never throws for server-side failures (they are model input); rethrows the caller's abort. */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<McpCallOutcome> {
    const result = await this.#request(signal, timeoutMs, (options) =>
      this.#client.request(
        { method: "tools/call", params: { name, arguments: args } },
        CallToolResultSchema,
        options,
      ),
    );
    return result.ok
      ? toMcpCallOutcome(result.value)
      : { ok: false, error: toMcpCallError(result.failure) };
  }

  /** Idempotent. Ends a Streamable HTTP session politely (`DELETE`), then aborts every stream. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const transport = this.#transport;
    if (
      transport instanceof StreamableHTTPClientTransport &&
      transport.sessionId !== undefined &&
      !this.#transportClosed
    ) {
      const timeoutMs = Math.min(this.#timeoutMs, MAX_TERMINATE_MS);
      await withDeadline(new AbortController().signal, timeoutMs, (signal) =>
        untilAborted(transport.terminateSession(), signal),
      ).catch(() => undefined);
    }
    await this.#client.close().catch(() => undefined);
  }

  async #request<T>(
    signal: AbortSignal,
    timeoutMs: number,
    send: (options: RequestOptions) => Promise<T>,
  ): Promise<RequestResult<T>> {
    try {
      const value = await withLinkedSignal(signal, (linked) =>
        send({ signal: linked, timeout: timeoutMs }),
      );
      return { ok: true, value };
    } catch (error) {
      signal.throwIfAborted();
      const failure = describeMcpFailure(error, {
        timeoutMs,
        transportClosed: this.#transportClosed,
      });
      if (failure.kind !== "protocol" || failure.code === null) {
        this.#markBroken();
      }
      return { ok: false, failure, error };
    }
  }

  /** A server without the `tools` capability that rejects `tools/list` simply has no tools. */
  #lacksTools(failure: McpFailure): boolean {
    return (
      failure.kind === "protocol" &&
      failure.code === Number(ErrorCode.MethodNotFound) &&
      this.#client.getServerCapabilities()?.tools === undefined
    );
  }

  #markBroken(): void {
    if (!this.#broken) {
      this.#broken = true;
      this.onBroken();
    }
  }
}
