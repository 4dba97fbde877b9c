/**
 * `GET /v1/models` (issue 14 §4) through the official openai client: every provider's models,
 * each id routable as `model` (bare for the provider a bare name goes to, `provider_id/` for the
 * others), a provider that is down or answers an endless body skipped with a log line, the list
 * cached per provider.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort, listenOnLoopback } from "../support/listen-on-loopback.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";

let first: ScriptedModel;
let second: ScriptedModel;
let endless: Server;
let endlessUrl: string;
let patchbay: TestPatchbay;

beforeAll(async () => {
  first = await startScriptedModel({ models: ["llama3.2", "qwen/qwen3"] });
  second = await startScriptedModel({ models: ["gpt-oss", "llama3.2"] });
  // A model server whose model list never ends: the read stops at the byte limit.
  endless = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    const chunk = Buffer.alloc(64 * 1024, " ");
    const pump = () => {
      while (response.write(chunk)) {
        /* fill the socket buffer */
      }
    };
    response.on("drain", pump);
    response.write('{"data":[');
    pump();
  });
  endlessUrl = `http://127.0.0.1:${await listenOnLoopback(endless)}/v1`;
  const downUrl = `http://127.0.0.1:${await closedPort()}/v1`;
  patchbay = await startPatchbay({
    modelUrl: first.url,
    configure: (config) => {
      const base = config.inference[0]!;
      config.server.inference.limits.maxResponseBytes = 1024 * 1024;
      config.inference = [
        { ...base, providerId: "local", baseUrl: first.url },
        { ...base, providerId: "remote", baseUrl: second.url },
        { ...base, providerId: "down", baseUrl: downUrl },
        { ...base, providerId: "endless", baseUrl: endlessUrl },
      ];
    },
  });
});
afterAll(async () => {
  await patchbay.close();
  endless.closeAllConnections();
  await new Promise<void>((resolve) => endless.close(() => resolve()));
  await Promise.all([first.close(), second.close()]);
});

describe("client.models.list()", () => {
  it("lists every provider's models under the names requests route by", async () => {
    const page = await patchbay.client.models.list();
    expect(page.data.map((model) => [model.id, model.owned_by])).toEqual([
      ["llama3.2", "local"],
      ["qwen/qwen3", "local"],
      ["remote/gpt-oss", "remote"],
      ["remote/llama3.2", "remote"],
    ]);
    expect(page.data[0]).toMatchObject({ object: "model", created: 1 });
  });

  it("routes each listed id to the provider that listed it", async () => {
    const page = await patchbay.client.models.list();
    for (const model of page.data) {
      const target = model.owned_by === "local" ? first : second;
      target.enqueue({ text: "hi" });
      await patchbay.client.responses.create({ model: model.id, input: "hi" });
      const sent = target.requests.at(-1)?.body.model;
      expect(model.id.endsWith(String(sent)), model.id).toBe(true);
    }
  });

  it("skipped the down and the endless provider with one log line each, then used the cache", async () => {
    const skips = () =>
      patchbay.logs.filter((line) => line.includes("GET /v1/models skips provider"));
    expect(skips()).toHaveLength(2);
    expect(skips().some((line) => line.includes('"provider_id":"down"'))).toBe(true);
    expect(skips().some((line) => line.includes("more than 1048576 bytes"))).toBe(true);
    const listings = () => first.modelListings;
    const before = listings();
    await patchbay.client.models.list();
    expect(before).toBe(1);
    expect(listings()).toBe(before);
    expect(skips()).toHaveLength(2);
  });
});
