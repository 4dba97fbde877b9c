import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernStreamableTransport,
  type DiscoverResult,
} from "@modelcontextprotocol/client";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport as LegacyStreamableTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";

/** A transport actually spoken on the wire (`auto` is resolved before a session opens). */
export type WireTransport = "streamable-http" | "sse";

/**
 * Which protocol era to speak (ADR 0027): `legacy` is the 2025-era `initialize` handshake over the
 * SDK 1.x client; `modern` adopts a remembered `server/discover` answer (2026-07-28, no round
 * trip); `probe` sends `server/discover` and stops with `LegacyServerError` as soon as the server
 * turns out to be 2025-era, so the 1.x client opens it instead.
 */
export type ProtocolChoice =
  { kind: "legacy" } | { kind: "modern"; discover: DiscoverResult } | { kind: "probe" };

/** The server answered the `server/discover` probe as a 2025-era server does. */
export class LegacyServerError extends Error {
  constructor() {
    super("The MCP server does not speak protocol revision 2026-07-28");
    this.name = "LegacyServerError";
  }
}

export type FetchFunction = (url: string | URL, init?: RequestInit) => Promise<Response>;
type RequestOptions = { signal: AbortSignal; timeout: number };
/** Headers for this one request (`Mcp-Param-*`); only a 2026-07-28 client sends them. */
type SendOptions = RequestOptions & { headers?: Record<string, string> };

/** The part of either SDK client a session uses, whichever era it speaks. */
export interface WireClient {
  connect(options: RequestOptions): Promise<void>;
  request<T>(
    request: { method: string; params: Record<string, unknown> },
    schema: z.ZodType<T>,
    options: SendOptions,
  ): Promise<T>;
  /** Called once when the transport closes. */
  onClose(handler: () => void): void;
  /** Called on `notifications/tools/list_changed` (2025-era sessions with an event stream). */
  onToolsChanged(handler: () => void): void;
  hasToolsCapability(): boolean;
  /** The negotiated protocol revision; undefined before `connect` resolves. */
  protocolVersion(): string | undefined;
  /** The modern era's `server/discover` answer, remembered to skip the probe next time. */
  discoverResult(): DiscoverResult | undefined;
  /** Whether this client speaks 2026-07-28 (set once `connect` resolves). */
  isModern(): boolean;
  /** Ends a 2025-era Streamable HTTP session (`DELETE`); null when there is none to end. */
  terminate(): Promise<void> | null;
  close(): Promise<void>;
}

export interface WireClientOptions {
  url: URL;
  transport: WireTransport;
  choice: ProtocolChoice;
  headers: Record<string, string>;
  fetch: FetchFunction;
  clientInfo: { name: string; version: string };
  /** Told the id of every request sent, for the in-flight tracking of limits. */
  onRequestSent: (id: string) => void;
}

/**
 * A response stream the server closes after an event id, before the answer (the 2025-11-25
 * "polling" of SEP-1699: transports §Resumability), is resumed once per close with a GET carrying
 * `Last-Event-ID`, after the server's `retry` (1 s without one); without it the call would hang
 * until its timeout. A failed resumption is not retried: the session is replaced instead (ADR 0007).
 */
const RESUME_ONCE = {
  maxRetries: 1,
  initialReconnectionDelay: 1_000,
  maxReconnectionDelay: 1_000,
  reconnectionDelayGrowFactor: 1,
};

/**
 * Builds the SDK client for one session: `@modelcontextprotocol/client` 2.x for 2026-07-28 (and
 * for the probe), `@modelcontextprotocol/sdk` 1.x for 2025-era servers and legacy HTTP+SSE
 * (ADR 0027). Patchbay declares no client capabilities, so no server may ask it for input.
 */
export function createWireClient(options: WireClientOptions): WireClient {
  return options.transport === "sse" || options.choice.kind === "legacy"
    ? legacyWireClient(options)
    : modernWireClient(options, options.choice);
}

function modernWireClient(
  options: WireClientOptions,
  choice: Exclude<ProtocolChoice, { kind: "legacy" }>,
): WireClient {
  let legacy = false;
  // In `auto` mode the SDK falls back to `initialize` on a 2025-era server; stopping there keeps
  // that server on the 1.x client (one session, one handshake) instead of two clients' sessions.
  const fetch: FetchFunction = async (url, init) => {
    if (choice.kind === "probe" && typeof init?.body === "string" && isInitialize(init.body)) {
      legacy = true;
      throw new LegacyServerError();
    }
    return options.fetch(url, init);
  };
  const transport = new ModernStreamableTransport(options.url, {
    requestInit: { headers: options.headers },
    fetch,
    reconnectionOptions: RESUME_ONCE,
  });
  trackSends(transport, options.onRequestSent);
  const client = new ModernClient(options.clientInfo, {
    capabilities: {},
    versionNegotiation: { mode: "auto" },
    inputRequired: { autoFulfill: false },
  });
  return {
    connect: async (requestOptions) => {
      try {
        await client.connect(
          transport,
          choice.kind === "modern"
            ? { ...requestOptions, prior: { kind: "modern", discover: choice.discover } }
            : requestOptions,
        );
      } catch (error) {
        if (legacy) throw new LegacyServerError();
        throw error;
      }
    },
    request: (request, schema, requestOptions) => client.request(request, schema, requestOptions),
    onClose: (handler) => {
      client.onclose = handler;
    },
    onToolsChanged: () => undefined,
    hasToolsCapability: () => client.getServerCapabilities()?.tools !== undefined,
    protocolVersion: () => client.getNegotiatedProtocolVersion(),
    discoverResult: () => client.getDiscoverResult(),
    isModern: () => client.getProtocolEra() === "modern",
    terminate: () => null,
    close: () => client.close(),
  };
}

function legacyWireClient(options: WireClientOptions): WireClient {
  const requestInit = { headers: options.headers };
  const { fetch } = options;
  const transport =
    options.transport === "sse"
      ? new SSEClientTransport(options.url, { requestInit, fetch })
      : new LegacyStreamableTransport(options.url, {
          requestInit,
          fetch,
          reconnectionOptions: RESUME_ONCE,
        });
  trackSends(transport, options.onRequestSent);
  let negotiated: string | undefined;
  const wire: Transport = transport;
  const setProtocolVersion = wire.setProtocolVersion?.bind(wire);
  wire.setProtocolVersion = (version) => {
    negotiated = version;
    setProtocolVersion?.(version);
  };
  const client = new LegacyClient(options.clientInfo, { capabilities: {} });
  return {
    connect: (requestOptions) => client.connect(transport, requestOptions),
    request: (request, schema, { signal, timeout }) =>
      client.request(request, schema, { signal, timeout }),
    onClose: (handler) => {
      client.onclose = handler;
    },
    onToolsChanged: (handler) => {
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => handler());
    },
    hasToolsCapability: () => client.getServerCapabilities()?.tools !== undefined,
    protocolVersion: () => negotiated,
    discoverResult: () => undefined,
    isModern: () => false,
    terminate: () =>
      transport instanceof LegacyStreamableTransport && transport.sessionId !== undefined
        ? transport.terminateSession()
        : null,
    close: () => client.close(),
  };
}

interface Sender<Message, Options> {
  send(message: Message, options?: Options): Promise<void>;
}

function trackSends<Message extends object, Options>(
  transport: Sender<Message, Options>,
  onRequestSent: (id: string) => void,
): void {
  const send = transport.send.bind(transport);
  transport.send = (message, sendOptions) => {
    if ("method" in message && "id" in message) onRequestSent(String(message.id));
    return send(message, sendOptions);
  };
}

function isInitialize(body: string): boolean {
  try {
    const message: unknown = JSON.parse(body);
    return typeof message === "object" && message !== null && "method" in message
      ? message.method === "initialize"
      : false;
  } catch {
    return false;
  }
}
