import type { McpLimitsConfig } from "../config/patchbay-config.js";
import { DEFAULT_MCP_LIMITS } from "../config/resolve-config.js";
import { McpConnectionError } from "../errors/mcp-connection-error.js";
import { withCredentials } from "./credentials.js";
import { describeMcpFailure } from "./describe-mcp-failure.js";
import type {
  McpCallOutcome,
  McpClient,
  McpLease,
  McpProbe,
  McpServerTarget,
} from "./mcp-client.js";
import { SdkMcpSession } from "./sdk-mcp-session.js";
import { poolKey } from "./pool-key.js";
import { SessionPool } from "./session-pool.js";
import { toMcpConnectionError } from "./to-mcp-connection-error.js";
import { ToolsCache } from "./tools-cache.js";
import { isHeaderMismatch, mcpParamHeaders } from "./mcp-param-headers.js";
import type { McpToolListing } from "./to-mcp-tool-descriptors.js";
import { LegacyServerError, type ProtocolChoice, type WireTransport } from "./wire-client.js";
import { isHttpUrl } from "../lib/is-http-url.js";
import { untilAborted } from "../lib/until-aborted.js";

export interface SdkMcpClientOptions {
  /** Idle pooled sessions close after this long. Default 60 s. */
  idleTimeoutMs?: number;
  /**
   * `tools/list` results are reused for this long when the server gives no `ttlMs` (2026-07-28
   * servers do). Default 30 s; 0 disables the cache.
   */
  listToolsTtlMs?: number;
  /**
   * At most this many sessions per (url, transport, headers); concurrent responses share them
   * (MCP multiplexes requests). Default 4.
   */
  maxSessionsPerKey?: number;
  /** Sent in `initialize`. Default `{name: "patchbay", version: "0.1.0"}`. */
  clientInfo?: { name: string; version: string };
  /** Clock for the tools cache, injectable for tests. Default `Date.now`. */
  now?: () => number;
  /** What servers' answers may hold (`server.mcp.max_*_bytes`). Default `DEFAULT_MCP_LIMITS`. */
  limits?: McpLimitsConfig;
}

/** How many URLs' working transports (and pool keys' protocol eras) are remembered. */
const MAX_REMEMBERED_TRANSPORTS = 1_000;
/** How many credential lineages' current keys are remembered; a forgotten one only idles out. */
const MAX_REMEMBERED_LINEAGES = 10_000;
/** 4xx answers to a Streamable HTTP `initialize` that do not suggest a legacy SSE server instead. */
const NOT_A_LEGACY_HINT = new Set([401, 403, 407, 429]);

/**
 * The `McpClient` port over `@modelcontextprotocol/sdk` 1.32.2 (PRODUCT.md §3, §4): pools
 * sessions per `poolKey` (url, transport, sha256 of headers and credentials; a refreshed
 * credential retires its predecessor's sessions) so every response does not reconnect, caches
 * `tools/list` briefly, resolves `auto` to Streamable HTTP or legacy SSE (remembered per URL), and
 * keeps every SDK quirk (errors, leaks, hanging connects) behind the port.
 */
export class SdkMcpClient implements McpClient {
  readonly #pool: SessionPool<SdkMcpSession>;
  readonly #toolsCache: ToolsCache;
  readonly #clientInfo: { name: string; version: string };
  readonly #limits: McpLimitsConfig;
  readonly #transportByUrl = new Map<string, WireTransport>();
  /** Each pool key's protocol era, found by the `server/discover` probe (ADR 0027). */
  readonly #protocolByKey = new Map<string, ProtocolChoice>();
  /** Each credential lineage's current pool key (ADR 0023). */
  readonly #currentKeys = new Map<string, string>();
  /** The pool keys used per target URL, so `forgetServer` finds them. */
  readonly #keysByUrl = new Map<string, Set<string>>();
  #closed = false;

  constructor(options: SdkMcpClientOptions = {}) {
    this.#pool = new SessionPool({
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
      maxSessionsPerKey: options.maxSessionsPerKey ?? 4,
    });
    this.#toolsCache = new ToolsCache({
      ttlMs: options.listToolsTtlMs ?? 30_000,
      now: options.now ?? Date.now,
    });
    this.#clientInfo = options.clientInfo ?? { name: "patchbay", version: "0.1.0" };
    this.#limits = options.limits ?? DEFAULT_MCP_LIMITS;
  }

  /** Sessions currently open (leased or idle); for tests and metrics. */
  get openSessions(): number {
    return this.#pool.size;
  }

  readonly #listing = new Map<string, Promise<McpToolListing>>();
  /**
   * Per pool key, the tools whose arguments also go out as `Mcp-Param-*` headers (2026-07-28),
   * from the last listing; kept past the listing's TTL, since a 2026 server's `ttlMs` is often 0.
   */
  readonly #paramHeaders = new Map<string, McpToolListing["paramHeaders"]>();

  async acquire(target: McpServerTarget, signal: AbortSignal): Promise<McpLease> {
    signal.throwIfAborted();
    this.#assertOpen();
    const { key, lineage } = poolKey(target);
    this.#supersede(lineage, key);
    this.#rememberKey(target.url, key);
    const session = await this.#pool.lease(key, () => this.#connect(key, target, signal));
    return this.#lease(key, target, session);
  }

  /**
   * A new key on a lineage means the same subject came with new credentials (a refreshed token):
   * the old key's sessions are retired and its listing forgotten, so refreshes do not pile up
   * sessions. Sessions stay per key, so different credentials never share one.
   */
  #supersede(lineage: string, key: string): void {
    const previous = this.#currentKeys.get(lineage);
    if (previous === key) return;
    this.#currentKeys.delete(lineage);
    if (this.#currentKeys.size >= MAX_REMEMBERED_LINEAGES) {
      const oldest = this.#currentKeys.keys().next();
      if (oldest.done !== true) this.#currentKeys.delete(oldest.value);
    }
    this.#currentKeys.set(lineage, key);
    if (previous === undefined) return;
    this.#toolsCache.delete(previous);
    this.#paramHeaders.delete(previous);
    void this.#pool.retire(previous);
  }

  async probe(target: McpServerTarget, signal: AbortSignal): Promise<McpProbe> {
    signal.throwIfAborted();
    this.#assertOpen();
    const session = await this.#open(poolKey(target).key, target, signal);
    try {
      const { tools } = await session.listTools(target.timeoutMs, signal);
      return { tools, protocolRevision: session.protocolRevision };
    } finally {
      await session.close();
    }
  }

  async forgetServer(url: string): Promise<void> {
    const keys = this.#keysByUrl.get(url);
    if (keys === undefined) return;
    this.#keysByUrl.delete(url);
    await Promise.all(
      [...keys].map((key) => {
        this.#toolsCache.delete(key);
        this.#paramHeaders.delete(key);
        // A server changed behind its URL may speak another revision now: probe it again.
        this.#protocolByKey.delete(key);
        return this.#pool.retire(key);
      }),
    );
  }

  /**
   * One `tools/list` per key at a time: responses arriving together (or when the TTL lapses under
   * load) share it instead of each sending its own. It is not tied to the caller's signal, since
   * other callers may be waiting on it; the timeout bounds it.
   */
  async #listOnce(
    key: string,
    target: McpServerTarget,
    session: SdkMcpSession,
    signal: AbortSignal,
  ): Promise<McpToolListing> {
    const inFlight = this.#listing.get(key);
    if (inFlight !== undefined) return untilAborted(inFlight, signal);
    const listing = session
      .listTools(target.timeoutMs, new AbortController().signal)
      .then((listing) => {
        this.#toolsCache.set(key, listing.tools, listing.ttlMs);
        this.#rememberParamHeaders(key, listing.paramHeaders);
        return listing;
      });
    this.#listing.set(key, listing);
    const forget = (): void => {
      if (this.#listing.get(key) === listing) this.#listing.delete(key);
    };
    listing.then(forget, forget);
    return untilAborted(listing, signal);
  }

  #paramHeadersOf(
    key: string,
    name: string,
    args: Record<string, unknown>,
  ): Record<string, string> {
    const declarations = this.#paramHeaders.get(key)?.get(name);
    return declarations === undefined ? {} : mcpParamHeaders(declarations, args);
  }

  #rememberParamHeaders(key: string, paramHeaders: McpToolListing["paramHeaders"]): void {
    this.#paramHeaders.delete(key);
    if (paramHeaders.size === 0) return;
    if (this.#paramHeaders.size >= MAX_REMEMBERED_LINEAGES) {
      const oldest = this.#paramHeaders.keys().next();
      if (oldest.done !== true) this.#paramHeaders.delete(oldest.value);
    }
    this.#paramHeaders.set(key, paramHeaders);
  }

  #rememberKey(url: string, key: string): void {
    const keys = this.#keysByUrl.get(url);
    if (keys !== undefined) {
      keys.add(key);
      return;
    }
    if (this.#keysByUrl.size >= MAX_REMEMBERED_LINEAGES) {
      const oldest = this.#keysByUrl.keys().next();
      if (oldest.done !== true) this.#keysByUrl.delete(oldest.value);
    }
    this.#keysByUrl.set(url, new Set([key]));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#toolsCache.clear();
    this.#paramHeaders.clear();
    await this.#pool.closeAll();
  }

  #lease(key: string, target: McpServerTarget, session: SdkMcpSession): McpLease {
    let released = false;
    const assertHeld = (): void => {
      if (released) {
        throw new Error("This MCP lease was already released");
      }
    };
    return {
      protocolRevision: session.protocolRevision,
      listTools: async (signal) => {
        assertHeld();
        signal.throwIfAborted();
        const cached = this.#toolsCache.get(key);
        if (cached !== undefined) {
          return cached;
        }
        return (await this.#listOnce(key, target, session, signal)).tools;
      },
      callTool: async (name, args, signal) => {
        assertHeld();
        const call = (): Promise<McpCallOutcome> =>
          session.callTool(
            name,
            args,
            target.timeoutMs,
            signal,
            this.#paramHeadersOf(key, name, args),
          );
        const outcome = await call();
        if (outcome.ok || !isHeaderMismatch(outcome.error)) return outcome;
        // A 2026-07-28 server wants Mcp-Param-* headers Patchbay could not know (it never listed
        // the server in this process, or the tool changed): list again, and retry once.
        this.#toolsCache.delete(key);
        try {
          await this.#listOnce(key, target, session, signal);
        } catch {
          signal.throwIfAborted();
          return outcome;
        }
        return call();
      },
      release: async () => {
        if (!released) {
          released = true;
          await this.#pool.release(session);
        }
      },
    };
  }

  async #connect(
    key: string,
    target: McpServerTarget,
    signal: AbortSignal,
  ): Promise<SdkMcpSession> {
    const session = await this.#open(key, target, signal);
    session.onBroken = () => {
      // A remembered era may be what broke it (a 2026 server rolled back): probe again next time.
      this.#protocolByKey.delete(key);
      void this.#pool.evictIdle(session);
    };
    session.onToolsChanged = () => this.#toolsCache.delete(key);
    return session;
  }

  /** Resolves `auto`: the remembered transport, else Streamable HTTP, else legacy SSE on a 4xx hint. */
  async #open(key: string, target: McpServerTarget, signal: AbortSignal): Promise<SdkMcpSession> {
    if (target.transport !== "auto") {
      return this.#openWith(key, target, target.transport, signal);
    }
    const remembered = this.#transportByUrl.get(target.url);
    if (remembered !== undefined) {
      try {
        return await this.#openWith(key, target, remembered, signal);
      } catch (error) {
        this.#transportByUrl.delete(target.url);
        throw error;
      }
    }
    let session: SdkMcpSession;
    try {
      session = await this.#openWith(key, target, "streamable-http", signal);
      this.#remember(target.url, "streamable-http");
    } catch (error) {
      if (!(error instanceof McpConnectionError) || !suggestsLegacySse(error.status)) {
        throw error;
      }
      session = await this.#openWith(key, target, "sse", signal);
      this.#remember(target.url, "sse");
    }
    return session;
  }

  /**
   * Streamable HTTP servers of unknown era are probed with `server/discover`; the answer (a
   * 2026-07-28 discover result, or "2025-era") is remembered per pool key, so later connects skip
   * the probe: a modern one adopts the remembered result with no round trip (ADR 0027).
   */
  async #openWith(
    key: string,
    target: McpServerTarget,
    transport: WireTransport,
    signal: AbortSignal,
  ): Promise<SdkMcpSession> {
    const choice: ProtocolChoice =
      transport === "sse"
        ? { kind: "legacy" }
        : (this.#protocolByKey.get(key) ?? { kind: "probe" });
    try {
      const session = await this.#openSession(target, transport, choice, signal);
      if (transport !== "sse") this.#rememberProtocol(key, session.protocolChoice);
      return session;
    } catch (error) {
      if (!(error instanceof LegacyServerError)) {
        this.#protocolByKey.delete(key);
        throw error;
      }
      this.#rememberProtocol(key, { kind: "legacy" });
      return this.#openSession(target, transport, { kind: "legacy" }, signal);
    }
  }

  async #openSession(
    target: McpServerTarget,
    transport: WireTransport,
    choice: ProtocolChoice,
    signal: AbortSignal,
  ): Promise<SdkMcpSession> {
    if (!isHttpUrl(target.url)) {
      throw new McpConnectionError("Reason: invalid server URL", { kind: "connection" });
    }
    try {
      return await SdkMcpSession.open({
        url: target.url,
        transport,
        choice,
        headers: withCredentials(target.headers, target.credentials),
        timeoutMs: target.timeoutMs,
        clientInfo: this.#clientInfo,
        signal,
        egress: target.egress,
        limits: this.#limits,
      });
    } catch (error) {
      signal.throwIfAborted();
      if (error instanceof LegacyServerError) throw error;
      throw toMcpConnectionError(
        describeMcpFailure(error, { timeoutMs: target.timeoutMs, transportClosed: false }),
        error,
      );
    }
  }

  #remember(url: string, transport: WireTransport): void {
    rememberBounded(this.#transportByUrl, url, transport);
  }

  #rememberProtocol(key: string, choice: ProtocolChoice): void {
    rememberBounded(this.#protocolByKey, key, choice);
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new Error("SdkMcpClient is closed");
    }
  }
}

/** Sets `key`, forgetting the oldest entry first when the map is full (keys can come from users). */
function rememberBounded<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_REMEMBERED_TRANSPORTS && !map.has(key)) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
  map.set(key, value);
}

/** The SDK's documented backwards-compatibility rule: a 4xx to the POST means "try legacy SSE". */
function suggestsLegacySse(status: number | null): boolean {
  return status !== null && status >= 400 && status < 500 && !NOT_A_LEGACY_HINT.has(status);
}
