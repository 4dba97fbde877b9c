/**
 * Misbehaving HTTP peers on loopback for failure-mapping tests: one that never answers, one that
 * answers every request with a fixed status (a refusal, a redirect), and a URL nobody listens on.
 */
import { createServer, type ServerResponse } from "node:http";
import { closedPort, listenOnLoopback } from "./listen-on-loopback.js";

export interface StubPeer {
  /** `http://127.0.0.1:<port>/mcp` */
  url: string;
  /** Requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

/** Accepts every request and never writes a byte: the caller's deadline has to fire. */
export function startHangingPeer(): Promise<StubPeer> {
  const pending = new Set<ServerResponse>();
  return startPeer((response) => {
    pending.add(response);
    response.on("close", () => pending.delete(response));
  });
}

/**
 * Answers every request with `status`, `headers` and a small JSON body (e.g. 403 for a refused
 * token, 307 with a `location` for a redirect).
 */
export function startStatusPeer(
  status: number,
  headers: Record<string, string> = {},
): Promise<StubPeer> {
  return startPeer((response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify({ error: `status ${status}` }));
  });
}

/** A loopback URL whose port was just released, so connecting is refused. */
export async function unreachableUrl(): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}/mcp`;
}

async function startPeer(answer: (response: ServerResponse) => void): Promise<StubPeer> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    answer(response);
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
