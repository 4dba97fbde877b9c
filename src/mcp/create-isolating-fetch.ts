import { z } from "zod";
import { setMaxListeners } from "node:events";
import { linkSignal } from "../lib/link-signal.js";
import type { McpLimitExceededError } from "./mcp-limit-exceeded-error.js";
import { meteredBody, type BodyCheck, type McpBodyLimits } from "./metered-body.js";
import { createNodeFetch, type FetchLike, type NodeFetchOptions } from "./node-fetch.js";

/** "405 Method Not Allowed" to the GET: the server simply offers no standalone stream (MCP spec). */
const NO_STANDALONE_STREAM = 405;
/** Enough for every request a session can have in flight at once without a warning. */
const MAX_IN_FLIGHT_LISTENERS = 10_000;

export interface IsolatingFetchOptions extends NodeFetchOptions {
  /** A GET event stream could not connect, was refused, ended or failed without our own abort. */
  onEventStreamLost?: () => void;
  /** Without them, bodies are not metered (tests of the plumbing only). */
  limits?: McpBodyLimits | undefined;
  /**
   * A body exceeded a limit: its stream errors with `error` and its connection is destroyed.
   * `requestId` is the JSON-RPC id the POST carried, null for a GET event stream. The SDK does not
   * fail a request whose SSE answer breaks (it only reports the error), so the session must.
   */
  onLimitExceeded?: (requestId: string | null, error: McpLimitExceededError) => void;
}

/**
 * A `fetch` for the SDK transports that gives every request its own child signal, fixing the
 * abort-listener leak of SDK 1.32.2 (dependencies-node20.md §3). Unlike the reference snippet it
 * keeps the link to the transport's signal until the response *body* ends, so `transport.close()`
 * still aborts long-lived event streams (otherwise their sockets would stay open).
 *
 * `onEventStreamLost` fires when a GET event stream (legacy `GET /sse`, or Streamable HTTP's
 * standalone stream) cannot connect, is refused, ends or fails without our own abort: the server went away,
 * so the session is broken and must not go back to the pool. A GET answered with an error status
 * (404 "session not found", 401) is a loss too, except 405: "no standalone stream here". A 3xx is
 * not: the SDK and the egress guard ask for manual redirects and follow them themselves.
 */
export function createIsolatingFetch(options: IsolatingFetchOptions = {}): FetchLike {
  const onEventStreamLost = options.onEventStreamLost ?? (() => undefined);
  const widened = new WeakSet<AbortSignal>();
  const nodeFetch = createNodeFetch({ lookup: options.lookup });
  /** JSON-RPC request id → aborts the POST whose response stream would carry its answer. */
  const pending = new Map<string, () => void>();
  return async (url, init) => {
    const rpc = rpcOf(init?.body);
    if (rpc.cancelledId !== null) pending.get(rpc.cancelledId)?.();
    const isGet = (init?.method ?? "GET").toUpperCase() === "GET";
    const limits = options.limits;
    const check: BodyCheck | undefined = limits && {
      isGet,
      method: rpc.method,
      limits,
      onExceeded: (error) => options.onLimitExceeded?.(isGet ? null : rpc.requestId, error),
    };
    const parent = init?.signal;
    if (parent === undefined || parent === null) {
      return withMeteredBody(await nodeFetch(url, init), () => undefined, check);
    }
    if (!widened.has(parent)) {
      widened.add(parent);
      setMaxListeners(MAX_IN_FLIGHT_LISTENERS, parent);
    }
    const link = linkSignal(parent);
    if (rpc.requestId !== null) {
      const id = rpc.requestId;
      pending.set(id, () => link.controller.abort(new Error("request cancelled")));
      link.signal.addEventListener("abort", () => pending.delete(id), { once: true });
    }
    let response: Response;
    try {
      response = await nodeFetch(url, { ...init, signal: link.signal });
    } catch (error) {
      link.release();
      if (isGet && !link.signal.aborted) {
        onEventStreamLost();
      }
      throw error;
    }
    if (isGet && response.status >= 400 && response.status !== NO_STANDALONE_STREAM) {
      onEventStreamLost();
    }
    const body = response.body;
    if (body === null) {
      link.release();
      return response;
    }
    const isEventStream = isGet && response.ok;
    const finish = (): void => {
      if (rpc.requestId !== null) pending.delete(rpc.requestId);
      link.release();
      if (isEventStream && !link.signal.aborted) {
        onEventStreamLost();
      }
    };
    return withMeteredBody(response, finish, check);
  };
}

/** `response` with its body counted against `check` (when given) and `finish` called at its end. */
function withMeteredBody(
  response: Response,
  finish: () => void,
  check: BodyCheck | undefined,
): Response {
  if (response.body === null) return response;
  return new Response(meteredBody(response.body, response.headers, finish, check), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

const RpcMessageSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  method: z.string().optional(),
  params: z.looseObject({ requestId: z.union([z.string(), z.number()]).optional() }).optional(),
});

/**
 * The JSON-RPC request id an outgoing POST carries, and the id a `notifications/cancelled` names.
 * Why: a cancelled request's POST stays open forever on Streamable HTTP (the server never answers
 * a cancelled request, and the SDK keeps the stream), so the fetch must abort it itself.
 */
function rpcOf(body: unknown): {
  requestId: string | null;
  method: string | null;
  cancelledId: string | null;
} {
  const none = { requestId: null, method: null, cancelledId: null };
  if (typeof body !== "string") return none;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return none;
  }
  const message = RpcMessageSchema.safeParse(json);
  if (!message.success) return none;
  const { id, method, params } = message.data;
  return {
    requestId: id !== undefined && method !== undefined ? String(id) : null,
    method: method ?? null,
    cancelledId:
      method === "notifications/cancelled" && params?.requestId !== undefined
        ? String(params.requestId)
        : null,
  };
}
