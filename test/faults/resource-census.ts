/**
 * Counts what the process holds (issue 7 item 2: "no extra sockets, MCP sessions or timers after
 * 1,000 injected faults") and brings it to a comparable steady state. Everything runs in one
 * process here — Patchbay, its peers and the test client — so every TCP connection appears twice
 * (client and server end) and both ends are visible through `node:diagnostics_channel`.
 *
 * Idle keep-alive connections are legitimate but come and go with timing; `settle()` removes them
 * the way a peer's keep-alive timeout would, by asking every HTTP server that served a request to
 * close its idle connections, then waits for the `close` events of both ends. Connections that are
 * still busy (an open event stream, a request nobody answered) survive and are counted.
 */
import { createHook, type AsyncHook } from "node:async_hooks";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { EventEmitter } from "node:events";
import { Server } from "node:http";
import { Socket } from "node:net";

export interface ResourceCounts {
  TCPSocketWrap: number;
  TCPServerWrap: number;
  /** Timers keeping the process alive (`process.getActiveResourcesInfo()` omits unref'd ones). */
  Timeout: number;
  /**
   * Pending timers of 10 s or more, unref'd ones included (`Timeout` above omits those, and
   * Patchbay unrefs its idle-session and sync timers). Shorter timers expire on their own, so
   * they cannot pile up; a long one left behind per fault would.
   */
  longTimers: number;
}

const LONG_TIMER_MS = 10_000;

/** What `settle()` needs of an HTTP server. */
interface IdleClosingServer {
  readonly listening: boolean;
  closeIdleConnections(): void;
}

/**
 * The two fields of Node's `Timeout` objects the census reads: set when a timer fires or is
 * cleared, and its delay. Internal but stable since Node 0.x (`lib/internal/timers.js`).
 */
interface TimerShape {
  _destroyed: boolean;
  _idleTimeout: number;
}

function isTimer(resource: unknown): resource is TimerShape {
  return (
    typeof resource === "object" &&
    resource !== null &&
    "_destroyed" in resource &&
    typeof resource._destroyed === "boolean" &&
    "_idleTimeout" in resource &&
    typeof resource._idleTimeout === "number"
  );
}

const CHANNELS = ["net.client.socket", "net.server.socket", "http.server.request.start"] as const;

export class ResourceCensus {
  readonly #sockets = new Set<Socket>();
  readonly #servers = new Set<IdleClosingServer>();
  /** Server-side ends, and those of them that carried at least one HTTP request. */
  readonly #accepted = new WeakSet<Socket>();
  readonly #served = new WeakSet<Socket>();
  /** `localPort:remotePort` of sockets that have closed, to recognise a live socket's dead peer. */
  readonly #closedEnds = new Set<string>();
  readonly #ends = new WeakMap<Socket, { local: number; remote: number }>();
  readonly #changes = new EventEmitter();
  readonly #listeners = CHANNELS.map(
    (channel) => [channel, (message: unknown) => this.#observe(channel, message)] as const,
  );
  readonly #timers = new Set<WeakRef<TimerShape>>();
  readonly #timerHook: AsyncHook = createHook({
    init: (_asyncId, type, _triggerAsyncId, resource) => {
      if (type === "Timeout" && isTimer(resource)) this.#timers.add(new WeakRef(resource));
    },
  });

  /** Starts observing sockets, HTTP servers and timers created from now on. */
  start(): this {
    for (const [channel, listener] of this.#listeners) subscribe(channel, listener);
    this.#timerHook.enable();
    return this;
  }

  stop(): void {
    for (const [channel, listener] of this.#listeners) unsubscribe(channel, listener);
    this.#timerHook.disable();
  }

  /** The counts of the resource types the leak check is about. */
  counts(): ResourceCounts {
    const counts: ResourceCounts = {
      TCPSocketWrap: 0,
      TCPServerWrap: 0,
      Timeout: 0,
      longTimers: this.#longTimers(),
    };
    for (const resource of process.getActiveResourcesInfo()) {
      if (resource === "TCPSocketWrap" || resource === "TCPServerWrap" || resource === "Timeout") {
        counts[resource] += 1;
      }
    }
    return counts;
  }

  /**
   * Closes idle connections and waits until what is left is steady: nothing connecting, no open
   * socket whose peer is gone. Idle means between requests (`closeIdleConnections`, as a peer's
   * keep-alive timeout would) or never used: undici opens a spare connection when a request is
   * aborted, which servers leave alone until the client's own 4 s keep-alive timeout. The tidying
   * is repeated on every socket event, since such spares may still be connecting. Call it only
   * when no request is in flight. Resolves false when that does not happen within `deadlineMs`:
   * the deadline only bounds the test (a socket that never closes is what the caller then
   * reports); the wait itself is on socket events, not on time.
   */
  async settle(deadlineMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    let check = (): void => undefined;
    const settled = new Promise<boolean>((resolve) => {
      check = () => {
        this.#closeIdle();
        if (this.#steady()) resolve(true);
      };
      this.#changes.on("change", check);
      timer = setTimeout(() => resolve(false), deadlineMs);
      check();
    });
    try {
      return await settled;
    } finally {
      clearTimeout(timer);
      this.#changes.off("change", check);
    }
  }

  #closeIdle(): void {
    for (const server of this.#servers) {
      if (server.listening) server.closeIdleConnections();
    }
    for (const socket of this.#sockets) {
      if (this.#unused(socket) && !socket.destroyed) socket.destroy();
    }
  }

  #unused(socket: Socket): boolean {
    return this.#accepted.has(socket) && !this.#served.has(socket);
  }

  /** Nothing connecting, nothing unused, no open socket whose other end is closed or closing. */
  #steady(): boolean {
    for (const socket of this.#sockets) {
      const end = this.#ends.get(socket);
      const peerClosed = end !== undefined && this.#closedEnds.has(`${end.remote}:${end.local}`);
      if (socket.connecting || socket.destroyed || peerClosed || this.#unused(socket)) return false;
    }
    return true;
  }

  #longTimers(): number {
    let count = 0;
    for (const reference of this.#timers) {
      const timer = reference.deref();
      if (timer === undefined || timer._destroyed) this.#timers.delete(reference);
      else if (timer._idleTimeout >= LONG_TIMER_MS) count += 1;
    }
    return count;
  }

  #observe(channel: string, message: unknown): void {
    if (typeof message !== "object" || message === null) return;
    if (!("socket" in message) || !(message.socket instanceof Socket)) return;
    const socket = message.socket;
    if (channel === "http.server.request.start") {
      if ("server" in message && message.server instanceof Server) {
        this.#servers.add(message.server);
      }
      this.#served.add(socket);
      return;
    }
    if (channel === "net.server.socket") this.#accepted.add(socket);
    if (this.#sockets.has(socket)) return;
    this.#sockets.add(socket);
    this.#changes.emit("change");
    // Ports are only readable while connected: a client socket learns them on `connect`.
    const remember = (): void => {
      const { localPort, remotePort } = socket;
      if (localPort === undefined || remotePort === undefined) return;
      this.#ends.set(socket, { local: localPort, remote: remotePort });
      this.#closedEnds.delete(`${localPort}:${remotePort}`);
      this.#changes.emit("change");
    };
    if (socket.remotePort === undefined) socket.once("connect", remember);
    else remember();
    socket.once("close", () => {
      this.#sockets.delete(socket);
      const end = this.#ends.get(socket);
      if (end !== undefined) this.#closedEnds.add(`${end.local}:${end.remote}`);
      this.#changes.emit("change");
    });
  }
}
