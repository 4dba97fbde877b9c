import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { JsonPoster } from "./post-json.js";
import { listenOnLoopback } from "../../test/support/listen-on-loopback.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
});

/** A server that answers once per connection, then drops the connection on its next request (a stale keep-alive socket). */
async function startForgetfulServer(): Promise<{ url: URL; requests: () => number }> {
  let requests = 0;
  const perSocket = new WeakMap<object, number>();
  server = createServer((request, response) => {
    requests += 1;
    const seen = (perSocket.get(request.socket) ?? 0) + 1;
    perSocket.set(request.socket, seen);
    if (seen > 1) {
      request.socket.destroy();
      return;
    }
    request.resume();
    request.on("end", () =>
      response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'),
    );
  });
  const port = await listenOnLoopback(server);
  return {
    url: new URL(`http://127.0.0.1:${port}/v1/chat/completions`),
    requests: () => requests,
  };
}

describe("JsonPoster", () => {
  it("sends again, once, when a reused keep-alive socket turns out to be closed", async () => {
    const peer = await startForgetfulServer();
    const poster = new JsonPoster(peer.url);
    const signal = new AbortController().signal;
    expect((await (await poster.post({}, "{}", signal)).text(100)).text).toBe('{"ok":true}');
    expect((await (await poster.post({}, "{}", signal)).text(100)).text).toBe('{"ok":true}');
    expect(peer.requests()).toBe(3);
    poster.close();
  });
});
