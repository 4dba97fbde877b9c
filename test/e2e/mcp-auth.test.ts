/**
 * MCP authentication and secret handling (Llama Stack's test_mcp_authentication.py; PRODUCT.md §3):
 * bearer tokens reach the server on every request and never persist, log, or echo.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpPeers, type McpPeer } from "../support/mcp-peers.js";
import { readDatabaseFiles, startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";

const TOKEN = "tok-SECRET-7f3a9c";
const HEADER_VALUE = "hdr-SECRET-51be0d";

// Every test runs against every peer: SDK 1.x on both transports (the URL is `/mcp` or `/sse`, and
// Patchbay's `auto` transport finds the legacy one by itself), SDK 2.x stateless, server-everything.
describe.each(mcpPeers)("against $name", (peer) => {
  const { transport, add } = peer;
  let model: ScriptedModel;
  let mcp: McpPeer;
  let open: McpPeer;
  let patchbay: TestPatchbay;
  let client: OpenAI;
  const bodies: string[] = [];

  beforeAll(async () => {
    model = await startScriptedModel();
    mcp = await peer.start({ requireBearer: TOKEN });
    open = await peer.start();
    patchbay = await startPatchbay({ modelUrl: model.url });
    client = patchbay.client;
  });
  afterAll(async () => {
    await patchbay.close();
    await mcp.close();
    await open.close();
    await model.close();
  });

  const secured = (authorization: string | undefined): OpenAI.Responses.Tool.Mcp => ({
    type: "mcp",
    server_label: "secured",
    server_url: mcp.url,
    require_approval: "never",
    headers: { "X-Api-Key": HEADER_VALUE },
    ...(authorization === undefined ? {} : { authorization }),
  });

  describe("MCP authentication", () => {
    it("sends the bearer token (not doubled) and headers on every MCP request", async () => {
      model.enqueue([
        { toolCalls: [{ name: "echo", arguments: '{"message":"authed"}' }] },
        { text: "ok" },
      ]);
      const response = await client.responses.create({
        model: "m",
        input: "x",
        tools: [secured(TOKEN)],
      });
      bodies.push(JSON.stringify(response));
      expect(response.output[1]).toMatchObject({ type: "mcp_call", output: "Echo: authed" });
      expect(mcp.requestHeaders.length).toBeGreaterThan(0);
      // The calls went over the transport under test.
      const callPath = transport === "sse" ? "/messages" : "/mcp";
      expect(mcp.requests.filter((request) => request.path === callPath).length).toBeGreaterThan(1);
      for (const headers of mcp.requestHeaders) {
        expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
        expect(headers["x-api-key"]).toBe(HEADER_VALUE);
      }
      expect(response.tools[0]).not.toHaveProperty("authorization");
      expect(response.tools[0]).toMatchObject({ headers: null });

      model.enqueue({ text: "ok" });
      const streamed = await client.responses.create({
        model: "m",
        input: "x",
        stream: true,
        tools: [{ ...secured(`Bearer ${TOKEN}`), server_label: "secured2" }],
      });
      for await (const event of streamed) bodies.push(JSON.stringify(event));
      expect(mcp.requestHeaders.at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
    });

    it("answers 424 naming the label and status when the token is missing or wrong", async () => {
      const error = await client.responses
        .create({ model: "m", input: "x", tools: [{ ...secured("wrong"), server_label: "bad" }] })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        status: 424,
        type: "external_connector_error",
        code: "http_error",
        param: "tools",
      });
      expect((error as Error).message).toContain(
        "Error retrieving tool list from MCP server: 'bad'. Http status code: 401",
      );
      await expect(
        client.responses.create({
          model: "m",
          input: "x",
          tools: [{ ...secured(undefined), server_label: "none" }],
        }),
      ).rejects.toMatchObject({ status: 424 });
    });

    it("rejects Authorization inside headers with a 400 pointing to the authorization field", async () => {
      const error = await client.responses
        .create({
          model: "m",
          input: "x",
          tools: [
            {
              type: "mcp",
              server_label: "h",
              server_url: mcp.url,
              headers: { Authorization: `Bearer ${TOKEN}` },
            },
          ],
        })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ status: 400, param: "tools[0].headers" });
      expect((error as Error).message).toContain("authorization");
    });

    it("rejects a tool with both or neither target", async () => {
      await expect(
        client.responses.create({
          model: "m",
          input: "x",
          tools: [{ type: "mcp", server_label: "n" }],
        }),
      ).rejects.toMatchObject({ status: 400, param: "tools[0]" });
      await expect(
        client.responses.create({
          model: "m",
          input: "x",
          tools: [
            {
              type: "mcp",
              server_label: "b",
              server_url: mcp.url,
              connector_id: "connector_dropbox",
            },
          ],
        }),
      ).rejects.toMatchObject({ status: 400, param: "tools[0]" });
    });

    it("works with a server that needs no auth", async () => {
      model.enqueue([
        { toolCalls: [{ name: add.name, arguments: '{"a":1,"b":1}' }] },
        { text: "2" },
      ]);
      const response = await client.responses.create({
        model: "m",
        input: "x",
        tools: [
          { type: "mcp", server_label: "open", server_url: open.url, require_approval: "never" },
        ],
      });
      bodies.push(JSON.stringify(response));
      expect(response.output[1]).toMatchObject({ output: add.output(1, 1) });
      expect(open.requestHeaders.every((headers) => headers.authorization === undefined)).toBe(
        true,
      );
    });

    it("never stores, logs or echoes the token or header values", async () => {
      const stored = await readDatabaseFiles(patchbay.home);
      expect(stored.length).toBeGreaterThan(0);
      const haystacks = [...stored, patchbay.logs.join("\n"), ...bodies];
      for (const secret of [TOKEN, HEADER_VALUE]) {
        for (const haystack of haystacks) expect(haystack.includes(secret)).toBe(false);
      }
      expect(patchbay.logs.length).toBeGreaterThan(5);
    });
  });

  describe("header syntax", () => {
    it("refuses CR/LF in header values and the token with a 400 that does not echo them", async () => {
      for (const tool of [
        {
          ...secured(TOKEN),
          server_label: "crlf_header",
          headers: { "X-Api-Key": `${HEADER_VALUE}\r\nX-Injected: 1` },
        },
        { ...secured(`${TOKEN}\r\nX-Injected: 1`), server_label: "crlf_token" },
      ]) {
        const error = await client.responses
          .create({ model: "m", input: "x", tools: [tool] })
          .catch((caught: unknown) => caught);
        expect(error).toMatchObject({ status: 400 });
        expect(JSON.stringify(error)).not.toContain("SECRET");
        expect((error as Error).message).not.toContain("SECRET");
      }
    });
  });
});
