/**
 * Misbehaving HTTP peers on loopback for failure-mapping tests: one that never answers, one that
 * answers every request with a fixed status, and a URL nobody listens on.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

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

/** Answers every request with `status` and a small JSON body (e.g. 403 for a refused token). */
export function startStatusPeer(status: number): Promise<StubPeer> {
  return startPeer((response) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: `status ${status}` }));
  });
}

/** A loopback URL whose port was just released, so connecting is refused. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = addressOf(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/mcp`;
}

async function startPeer(answer: (response: ServerResponse) => void): Promise<StubPeer> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    answer(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${addressOf(server).port}/mcp`,
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

function addressOf(server: Server): AddressInfo {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("not listening on TCP");
  return address;
}
