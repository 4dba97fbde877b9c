import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeFetch } from "./node-fetch.js";
import { listenOnLoopback } from "../../test/support/listen-on-loopback.js";

let server: Server;
let base: string;
const held: Array<() => void> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      if (request.url === "/moved") {
        response.writeHead(308, { location: "/echo" }).end();
      } else if (request.url === "/see-other") {
        response.writeHead(303, { location: "/echo" }).end();
      } else if (request.url === "/empty") {
        response.writeHead(204).end();
      } else if (request.url === "/hang") {
        held.push(() => response.end());
      } else {
        response.writeHead(200, {
          "content-type": "application/json",
          "set-cookie": ["a=1", "b=2"],
        });
        response.end(
          JSON.stringify({
            method: request.method,
            body,
            header: request.headers["x-test"] ?? null,
          }),
        );
      }
    });
  });
  base = `http://127.0.0.1:${await listenOnLoopback(server)}`;
});
afterAll(async () => {
  for (const release of held) release();
  await new Promise((resolve) => server.close(resolve));
});

describe("createNodeFetch", () => {
  const fetchLike = createNodeFetch();

  it("posts a body with headers and reads the answer", async () => {
    const response = await fetchLike(`${base}/echo`, {
      method: "POST",
      headers: { "x-test": "1" },
      body: "hello",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ method: "POST", body: "hello", header: "1" });
    expect(response.headers.get("set-cookie")).toContain("a=1");
  });

  it("follows 308 keeping method and body, 303 as a GET, and not at all when manual", async () => {
    expect(
      await (await fetchLike(`${base}/moved`, { method: "POST", body: "kept" })).json(),
    ).toMatchObject({ method: "POST", body: "kept" });
    expect(
      await (await fetchLike(`${base}/see-other`, { method: "POST", body: "dropped" })).json(),
    ).toMatchObject({ method: "GET", body: "" });
    expect(
      (await fetchLike(`${base}/moved`, { method: "POST", body: "x", redirect: "manual" })).status,
    ).toBe(308);
  });

  it("gives a null body for 204", async () => {
    const response = await fetchLike(`${base}/empty`);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it("rejects with the abort reason", async () => {
    const controller = new AbortController();
    const pending = fetchLike(`${base}/hang`, { signal: controller.signal });
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
