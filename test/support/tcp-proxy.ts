/**
 * A TCP proxy between Patchbay and a real server that a test switches between three states, to
 * play a database outage without touching the machine's PostgreSQL (other engineers use it):
 * - `forward`: connections are relayed both ways;
 * - `refuse`: the listener is closed and every relayed connection is destroyed (the server died;
 *   new connections are refused);
 * - `stall`: connections are accepted but nothing is relayed, new or existing (a network
 *   partition: the client waits on a silent peer).
 */
import { createServer, connect, type Socket } from "node:net";
import { listenOnLoopback } from "./listen-on-loopback.js";

export type TcpProxyState = "forward" | "refuse" | "stall";

export interface TcpProxy {
  /** The loopback port clients connect to; the same in every state. */
  readonly port: number;
  readonly state: TcpProxyState;
  /** Connections relayed or held since the proxy started. */
  readonly connections: number;
  setState(state: TcpProxyState): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket | null;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let state: TcpProxyState = "forward";
  let connections = 0;

  const relay = (pair: Pair): void => {
    if (pair.upstream === null) {
      const upstream = connect(target.port, target.host);
      pair.upstream = upstream;
      upstream.on("error", () => pair.client.destroy());
      upstream.on("close", () => pair.client.destroy());
    }
    pair.client.pipe(pair.upstream);
    pair.upstream.pipe(pair.client);
    pair.client.resume();
    pair.upstream.resume();
  };
  const hold = (pair: Pair): void => {
    pair.client.unpipe();
    pair.upstream?.unpipe();
    pair.client.pause();
    pair.upstream?.pause();
  };
  const destroy = (pair: Pair): void => {
    pair.client.destroy();
    pair.upstream?.destroy();
  };

  const server = createServer((client) => {
    connections += 1;
    const pair: Pair = { client, upstream: null };
    pairs.add(pair);
    client.on("error", () => pair.upstream?.destroy());
    client.on("close", () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (state === "forward") relay(pair);
    else hold(pair);
  });
  const port = await listenOnLoopback(server);
  let listening = true;

  const closeListener = async (): Promise<void> => {
    if (!listening) return;
    listening = false;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return {
    port,
    get state() {
      return state;
    },
    get connections() {
      return connections;
    },
    async setState(next) {
      state = next;
      if (next === "refuse") {
        for (const pair of pairs) destroy(pair);
        pairs.clear();
        await closeListener();
        return;
      }
      if (!listening) {
        await listenOnLoopback(server, port);
        listening = true;
      }
      for (const pair of pairs) {
        if (next === "forward") relay(pair);
        else hold(pair);
      }
    },
    async close() {
      for (const pair of pairs) destroy(pair);
      pairs.clear();
      await closeListener();
    },
  };
}
