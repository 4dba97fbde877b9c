/**
 * Puts a test peer on 127.0.0.1 and tells its port; and a port nobody listens on, for "connection
 * refused" cases.
 */
import { createServer, type Server } from "node:net";

/** Listens on `127.0.0.1:<port>` (0: a free port) and resolves with the port. */
export async function listenOnLoopback(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("not listening on TCP");
  return address.port;
}

/** A loopback port that was just free (listen on 0, note it, close): connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
