import { z } from "zod";
import { setMaxListeners } from "node:events";
import { linkSignal } from "../lib/link-signal.js";
import { createNodeFetch, type FetchLike } from "./node-fetch.js";

/** "405 Method Not Allowed" to the GET: the server simply offers no standalone stream (MCP spec). */
const NO_STANDALONE_STREAM = 405;
/** Enough for every request a session can have in flight at once without a warning. */
const MAX_IN_FLIGHT_LISTENERS = 10_000;

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
export function createIsolatingFetch(onEventStreamLost: () => void = () => undefined): FetchLike {
  const widened = new WeakSet<AbortSignal>();
  const nodeFetch = createNodeFetch();
  /** JSON-RPC request id → aborts the POST whose response stream would carry its answer. */
  const pending = new Map<string, () => void>();
  return async (url, init) => {
    const rpc = rpcOf(init?.body);
    if (rpc.cancelledId !== null) pending.get(rpc.cancelledId)?.();
    const parent = init?.signal;
    if (parent === undefined || parent === null) {
      return nodeFetch(url, init);
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
    const isGet = (init?.method ?? "GET").toUpperCase() === "GET";
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
    return new Response(trackEnd(body, finish), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** Passes `body` through unchanged and calls `finish` once when it ends, fails or is cancelled. */
function trackEnd(
  body: ReadableStream<Uint8Array>,
  finish: () => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  const finishOnce = (): void => {
    if (!finished) {
      finished = true;
      finish();
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          finishOnce();
          controller.close();
        } else {
          controller.enqueue(chunk.value);
        }
      } catch (error) {
        finishOnce();
        controller.error(error);
      }
    },
    async cancel(reason) {
      finishOnce();
      await reader.cancel(reason);
    },
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
function rpcOf(body: unknown): { requestId: string | null; cancelledId: string | null } {
  const none = { requestId: null, cancelledId: null };
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
    cancelledId:
      method === "notifications/cancelled" && params?.requestId !== undefined
        ? String(params.requestId)
        : null,
  };
}
