import { ErrorCode } from "@modelcontextprotocol/sdk/types.js";
import type { McpLimitsConfig } from "../config/patchbay-config.js";
import { McpConnectionError } from "../errors/mcp-connection-error.js";
import { createIsolatingFetch } from "./create-isolating-fetch.js";
import { InFlightRequests } from "./in-flight-requests.js";
import { McpLimitExceededError } from "./mcp-limit-exceeded-error.js";
import { withValidParamHeaders, type McpParamDeclaration } from "./mcp-param-headers.js";
import { withEgressGuard } from "./with-egress-guard.js";
import { describeMcpFailure, type McpFailure } from "./describe-mcp-failure.js";
import type { EgressGuard, McpCallOutcome } from "./mcp-client.js";
import type { PoolableSession } from "./session-pool.js";
import { toMcpCallError } from "./to-mcp-call-error.js";
import { CallToolResultSchema, toMcpCallOutcome } from "./to-mcp-call-outcome.js";
import { toMcpConnectionError } from "./to-mcp-connection-error.js";
import {
  ToolsPageSchema,
  toMcpToolDescriptors,
  type McpToolListing,
} from "./to-mcp-tool-descriptors.js";
import {
  createWireClient,
  type ProtocolChoice,
  type WireClient,
  type WireTransport,
} from "./wire-client.js";
import { Deadline, DeadlineExceededError, withDeadline } from "../lib/deadline.js";
import { linkSignal } from "../lib/link-signal.js";
import { untilAborted } from "../lib/until-aborted.js";

export interface SdkMcpSessionOptions {
  url: string;
  transport: WireTransport;
  /** The protocol era to speak, or `probe` to find out (ADR 0027). */
  choice: ProtocolChoice;
  headers: Record<string, string>;
  timeoutMs: number;
  clientInfo: { name: string; version: string };
  signal: AbortSignal;
  /** Checks every URL the transport fetches, redirects included (user `server_url` only). */
  egress?: EgressGuard | undefined;
  /** What the server's answers may hold (PRODUCT.md §9.1). */
  limits: McpLimitsConfig;
}

/** A server that pages forever (or repeats a cursor) must not hang a listing. */
const MAX_TOOL_PAGES = 100;
/** The polite `DELETE` of a Streamable HTTP session on close waits at most this long. */
const MAX_TERMINATE_MS = 2_000;

type RequestResult<T> = { ok: true; value: T } | { ok: false; failure: McpFailure; error: unknown };
type RequestOptions = { signal: AbortSignal; timeout: number };
const NO_PARAM_HEADERS: ReadonlyMap<string, readonly McpParamDeclaration[]> = new Map();

/**
 * One initialized MCP session over the SDK `Client` (the only place that touches the SDK's
 * client objects). It turns SDK errors into Patchbay's two shapes: `McpConnectionError` for
 * listing, `McpCallOutcome` for calls (reference §2.2). Any transport-level failure marks it
 * broken, so the pool replaces it rather than handing a dead session to the next response.
 */
export class SdkMcpSession implements PoolableSession {
  /** Called once when the session breaks; the client uses it to evict the session if idle. */
  onBroken: () => void = () => undefined;
  /** Called when a server with a live session says its tools changed (`list_changed`). */
  onToolsChanged: () => void = () => undefined;
  readonly #client: WireClient;
  readonly #timeoutMs: number;
  readonly #maxToolsListBytes: number;
  readonly #inFlight = new InFlightRequests();
  #broken = false;
  #transportClosed = false;
  #closing: Promise<void> | undefined;

  private constructor(options: SdkMcpSessionOptions) {
    const legacy = options.transport === "sse";
    const isolating = createIsolatingFetch({
      onEventStreamLost: () => this.#markBroken(),
      lookup: options.egress?.lookup,
      limits: { ...options.limits, eventStreamCarriesResults: legacy },
      onLimitExceeded: (requestId, error) => {
        this.#markBroken();
        // On legacy SSE the GET stream carries every answer: none of them can arrive any more.
        this.#inFlight.fail(requestId, error, requestId !== null || legacy);
      },
    });
    const fetch = options.egress ? withEgressGuard(isolating, options.egress) : isolating;
    this.#client = createWireClient({
      url: new URL(options.url),
      transport: options.transport,
      choice: options.choice,
      headers: options.headers,
      fetch,
      clientInfo: options.clientInfo,
      onRequestSent: (id) => this.#inFlight.sent(id),
    });
    this.#client.onClose(() => {
      this.#transportClosed = true;
      this.#markBroken();
    });
    this.#client.onToolsChanged(() => this.onToolsChanged());
    this.#timeoutMs = options.timeoutMs;
    this.#maxToolsListBytes = options.limits.maxToolsListBytes;
  }

  /**
   * Connects and initializes within `timeoutMs`. Throws the raw SDK error (or the caller's abort
   * reason) so the client can decide on the `auto` fallback; nothing is left running on failure
   * (the legacy EventSource would otherwise retry every 3 s forever).
   */
  static async open(options: SdkMcpSessionOptions): Promise<SdkMcpSession> {
    const session = new SdkMcpSession(options);
    const { timeoutMs } = options;
    const deadline = new Deadline(options.signal);
    try {
      // The legacy SSE transport's `start()` waits for the `endpoint` event with no timeout and
      // ignores aborts: a server that accepts the GET and stays silent would hang the connect.
      await session.#inFlight.track(deadline, () =>
        deadline.within(
          timeoutMs,
          () => new DeadlineExceededError(timeoutMs),
          () =>
            untilAborted(
              session.#client.connect({ signal: deadline.signal, timeout: timeoutMs }),
              deadline.signal,
            ),
        ),
      );
    } catch (error) {
      await session.close();
      throw error;
    } finally {
      deadline.release();
    }
    return session;
  }

  get broken(): boolean {
    return this.#broken;
  }

  /** The protocol revision the server and Patchbay agreed on (`initialize` or `server/discover`). */
  get protocolRevision(): string | null {
    return this.#client.protocolVersion() ?? null;
  }

  /** The modern era's `server/discover` answer, to skip the probe on the next connect. */
  get protocolChoice(): ProtocolChoice {
    const discover = this.#client.discoverResult();
    return discover === undefined ? { kind: "legacy" } : { kind: "modern", discover };
  }

  /**
   * All pages of `tools/list`, within one `timeoutMs` for the whole listing and at most
   * `max_tools_list_bytes` of tools. Throws `McpConnectionError`, or the abort reason of `signal`.
   */
  async listTools(timeoutMs: number, signal: AbortSignal): Promise<McpToolListing> {
    try {
      return await withDeadline(signal, timeoutMs, (listing) =>
        this.#listPages(timeoutMs, listing),
      );
    } catch (error) {
      signal.throwIfAborted();
      if (error instanceof McpConnectionError) throw error;
      const context = { timeoutMs, transportClosed: this.#transportClosed };
      throw toMcpConnectionError(describeMcpFailure(error, context), error);
    }
  }

  async #listPages(timeoutMs: number, signal: AbortSignal): Promise<McpToolListing> {
    const rawTools: unknown[] = [];
    let ttlMs: number | null = null;
    const seenCursors = new Set<string>();
    let listedBytes = 0;
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_PAGES; page += 1) {
      const params = cursor === undefined ? {} : { cursor };
      const result = await this.#request(signal, timeoutMs, (options) =>
        this.#client.request({ method: "tools/list", params }, ToolsPageSchema, options),
      );
      if (!result.ok) {
        if (this.#lacksTools(result.failure)) {
          return { tools: [], ttlMs: null, paramHeaders: NO_PARAM_HEADERS };
        }
        throw toMcpConnectionError(result.failure, result.error);
      }
      // Each page is bounded by max_message_bytes as it arrives; the listing as a whole here.
      listedBytes += Buffer.byteLength(JSON.stringify(result.value.tools));
      if (listedBytes > this.#maxToolsListBytes) {
        const error = new McpLimitExceededError(
          "The MCP server's tool list",
          "max_tools_list_bytes",
          this.#maxToolsListBytes,
        );
        throw toMcpConnectionError(
          describeMcpFailure(error, { timeoutMs, transportClosed: false }),
          error,
        );
      }
      rawTools.push(...result.value.tools);
      // The listing lives as long as its shortest-lived page (2026-07-28 `ttlMs`).
      const pageTtl = result.value.ttlMs;
      if (pageTtl !== undefined && pageTtl !== null) ttlMs = Math.min(ttlMs ?? pageTtl, pageTtl);
      const next = result.value.nextCursor;
      if (next === null || next === undefined || next === "" || seenCursors.has(next)) {
        break;
      }
      seenCursors.add(next);
      cursor = next;
    }
    if (!this.#client.isModern()) {
      return { tools: toMcpToolDescriptors(rawTools), ttlMs, paramHeaders: NO_PARAM_HEADERS };
    }
    const { offered, paramHeaders } = withValidParamHeaders(rawTools);
    return { tools: toMcpToolDescriptors(offered), ttlMs, paramHeaders };
  }

  /** Never throws for server-side failures (they are model input); rethrows the caller's abort. */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    timeoutMs: number,
    signal: AbortSignal,
    headers: Record<string, string> = {},
  ): Promise<McpCallOutcome> {
    const result = await this.#request(signal, timeoutMs, (options) =>
      this.#client.request(
        { method: "tools/call", params: { name, arguments: args } },
        CallToolResultSchema,
        { ...options, headers },
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
    const terminating = this.#transportClosed ? null : this.#client.terminate();
    if (terminating !== null) {
      const timeoutMs = Math.min(this.#timeoutMs, MAX_TERMINATE_MS);
      await withDeadline(new AbortController().signal, timeoutMs, (signal) =>
        untilAborted(terminating, signal),
      ).catch(() => undefined);
    }
    await this.#client.close().catch(() => undefined);
  }

  async #request<T>(
    signal: AbortSignal,
    timeoutMs: number,
    send: (options: RequestOptions) => Promise<T>,
  ): Promise<RequestResult<T>> {
    const link = linkSignal(signal);
    try {
      const value = await this.#inFlight.track(link.controller, () =>
        send({ signal: link.signal, timeout: timeoutMs }),
      );
      return { ok: true, value };
    } catch (caught) {
      signal.throwIfAborted();
      // Our own abort (a limit hit on this request's answer): the SDK reports it as a timeout.
      const error: unknown = link.signal.aborted ? link.signal.reason : caught;
      const failure = describeMcpFailure(error, {
        timeoutMs,
        transportClosed: this.#transportClosed,
      });
      if (failure.kind !== "protocol" || failure.code === null) {
        this.#markBroken();
      }
      return { ok: false, failure, error };
    } finally {
      link.release();
    }
  }

  /** A server without the `tools` capability that rejects `tools/list` simply has no tools. */
  #lacksTools(failure: McpFailure): boolean {
    return (
      failure.kind === "protocol" &&
      failure.code === Number(ErrorCode.MethodNotFound) &&
      !this.#client.hasToolsCapability()
    );
  }

  #markBroken(): void {
    if (!this.#broken) {
      this.#broken = true;
      this.onBroken();
    }
  }
}
