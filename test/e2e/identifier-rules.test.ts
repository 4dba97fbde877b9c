/**
 * Issue 11 §4: identifiers and header values are checked where they enter, like request input.
 * Connector ids, registry ids and header names with control characters, CR/LF, NUL, surrounding
 * spaces or an absurd length are a 400 naming the field (admin writes, path parameters and a
 * request's `tools[]`), and header values that could never be sent (CR, LF, NUL) are refused when
 * they are written, not when they are used. Every id shape the registries use still works.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminAndUserKeys } from "../support/config-entries.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";

const ADMIN = "sk-admin-ids";
const USER = "sk-user-ids";
const URL_OK = "http://127.0.0.1:9/mcp";

let model: ScriptedModel;
let patchbay: TestPatchbay;
let user: OpenAI;

beforeAll(async () => {
  model = await startScriptedModel();
  patchbay = await startPatchbay({
    modelUrl: model.url,
    apiKey: USER,
    configure: (config) => {
      config.server.apiKeys = adminAndUserKeys(ADMIN, USER);
    },
  });
  user = patchbay.client;
});
afterAll(async () => {
  await patchbay.close();
  await model.close();
});

interface Answer {
  status: number;
  error: { message: string; param: string | null; code: string | null } | undefined;
}

async function call(path: string, method: string, body?: unknown, key = ADMIN): Promise<Answer> {
  const response = await fetch(`${patchbay.baseURL}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed = (await response.json()) as { error?: Answer["error"] };
  return { status: response.status, error: parsed.error };
}

const badIds: Array<[string, string]> = [
  ["a line feed", "bad\nid"],
  ["a carriage return", "bad\rid"],
  ["a NUL", "bad\u0000id"],
  ["a tab", "bad\tid"],
  ["a leading space", " padded"],
  ["a trailing space", "padded "],
  ["an absurd length", "x".repeat(1_000)],
];

describe("connector ids", () => {
  it.each(badIds)("with %s are a 400 naming connector_id on create", async (_name, id) => {
    const answer = await call("/admin/connectors", "POST", { connector_id: id, url: URL_OK });
    expect(answer.status).toBe(400);
    expect(answer.error?.param).toBe("connector_id");
  });

  it("given as the alias `name` are checked the same way", async () => {
    const answer = await call("/admin/connectors", "POST", { name: "bad\nname", url: URL_OK });
    expect(answer).toMatchObject({ status: 400, error: { param: "name" } });
  });

  it.each(["connector_dropbox", "github", "team.github", "acme/github-prod", "a-b_c.d/e"])(
    "of the usual shapes are accepted: %s",
    async (id) => {
      const created = await call("/admin/connectors", "POST", { connector_id: id, url: URL_OK });
      expect(created.status).toBe(201);
      const path = `/admin/connectors/${encodeURIComponent(id)}`;
      expect((await call(path, "DELETE")).status).toBe(200);
    },
  );

  it.each(badIds)(
    "with %s in a path are a 400 naming connector_id, not a lookup",
    async (_name, id) => {
      const answer = await call(`/connectors/${encodeURIComponent(id)}`, "GET", undefined, USER);
      expect(answer.status).toBe(400);
      expect(answer.error?.param).toBe("connector_id");
    },
  );

  it.each(badIds)("with %s in tools[].connector_id are a 400 naming it", async (_name, id) => {
    const error = await user.responses
      .create({
        model: "m",
        input: "x",
        tools: [{ type: "mcp", server_label: "s", connector_id: id as "connector_dropbox" }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, param: "tools[0].connector_id" });
    expect(error).not.toMatchObject({ code: "unknown_connector" });
  });

  it("of the registry form keep names with dots, slashes and a version", async () => {
    const id = encodeURIComponent("mcp::public::io.github.user/weather@1.0.2");
    const answer = await call(`/connectors/${id}`, "GET", undefined, USER);
    expect(answer.status).toBe(404);
  });
});

describe("registry ids", () => {
  it.each(badIds)("with %s are a 400 naming id on create", async (_name, id) => {
    const answer = await call("/admin/mcp_registries", "POST", { id, url: URL_OK });
    expect(answer.status).toBe(400);
    expect(answer.error?.param).toBe("id");
  });

  it.each(badIds)("with %s in a path are a 400 naming registry_id", async (_name, id) => {
    const answer = await call(`/admin/mcp_registries/${encodeURIComponent(id)}`, "GET");
    expect(answer.status).toBe(400);
    expect(answer.error?.param).toBe("registry_id");
  });
});

describe("header names and values", () => {
  const badNames: Array<[string, string]> = [
    ["with CR LF", "X-Bad\r\nName"],
    ["with a space", "X Bad"],
    ["with NUL", "X-Bad\u0000"],
    ["with a leading space", " X-Bad"],
    ["of an absurd length", "X".repeat(1_000)],
  ];
  it.each(badNames)("a header name %s is a 400 naming headers", async (_label, name) => {
    const answer = await call("/admin/connectors", "POST", {
      connector_id: "headers_name",
      url: URL_OK,
      headers: { [name]: "v" },
    });
    expect(answer.status).toBe(400);
    expect(answer.error?.param).toMatch(/^headers/);
  });

  const badValues: Array<[string, string]> = [
    ["CR LF", "secret\r\nX-Injected: 1"],
    ["a lone LF", "secret\nmore"],
    ["a lone CR", "secret\rmore"],
    ["NUL", "secret\u0000"],
  ];
  it.each(badValues)(
    "a connector header value with %s is refused at write time (400), unechoed",
    async (_name, value) => {
      const answer = await call("/admin/connectors", "POST", {
        connector_id: "headers_value",
        url: URL_OK,
        headers: { "X-Api-Key": value },
      });
      expect(answer.status).toBe(400);
      expect(answer.error?.param).toMatch(/^headers/);
      expect(answer.error?.message).not.toContain("secret");
    },
  );

  it.each(badValues)("a registry header value with %s is a 400 too", async (_name, value) => {
    const answer = await call("/admin/mcp_registries", "POST", {
      id: "headers-value",
      url: URL_OK,
      headers: { Authorization: value },
    });
    expect(answer.status).toBe(400);
    expect(answer.error?.param).toMatch(/^headers/);
  });

  it("a merge patch that adds a bad header value is a 400 and changes nothing", async () => {
    expect(
      (await call("/admin/connectors", "POST", { connector_id: "patched", url: URL_OK })).status,
    ).toBe(201);
    const answer = await call("/admin/connectors/patched", "PATCH", {
      headers: { "X-Api-Key": "secret\r\nX-Injected: 1" },
    });
    expect(answer.status).toBe(400);
    expect(answer.error?.param).toMatch(/^headers/);
    const after = await fetch(`${patchbay.baseURL}/admin/connectors/patched`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(((await after.json()) as { headers: object }).headers).toEqual({});
  });

  it.each(badValues)(
    "a request's tools[].headers value with %s is a 400 naming it",
    async (_name, value) => {
      const error = await user.responses
        .create({
          model: "m",
          input: "x",
          tools: [
            {
              type: "mcp",
              server_label: "s",
              server_url: URL_OK,
              headers: { "X-Api-Key": value },
            },
          ],
        })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ status: 400, param: "tools[0].headers" });
    },
  );
});
