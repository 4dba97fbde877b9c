/**
 * Principals (PRODUCT.md §9.3) end to end: a user key sees, continues and deletes only its own
 * responses and conversations (others' answer 404, as if absent), an admin key sees all, and a key
 * with `may_act_for_users` keeps its end users apart by `X-Patchbay-User` or the body's `user`.
 * Also `GET /v1/responses` (issue 14 §4) as Llama Stack serves it.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";

const KEYS = {
  admin: "sk-admin-principals",
  alice: "sk-alice-principals",
  bob: "sk-bob-principals",
  actor: "sk-actor-principals",
};

let model: ScriptedModel;
let patchbay: TestPatchbay;
let clients: Record<keyof typeof KEYS, OpenAI>;

beforeAll(async () => {
  model = await startScriptedModel({ fallback: { text: "ok" } });
  patchbay = await startPatchbay({
    modelUrl: model.url,
    configure: (config) => {
      config.server.apiKeys = [
        { key: KEYS.admin, role: "admin", name: "ops", user: null, mayActForUsers: false },
        { key: KEYS.alice, role: "user", name: "alice-app", user: null, mayActForUsers: false },
        { key: KEYS.bob, role: "user", name: null, user: null, mayActForUsers: false },
        { key: KEYS.actor, role: "user", name: "chat-ui", user: null, mayActForUsers: true },
      ];
    },
  });
  const client = (apiKey: string) =>
    new OpenAI({ baseURL: patchbay.baseURL, apiKey, maxRetries: 0, timeout: 15_000 });
  clients = {
    admin: client(KEYS.admin),
    alice: client(KEYS.alice),
    bob: client(KEYS.bob),
    actor: client(KEYS.actor),
  };
});
afterAll(async () => {
  await patchbay.close();
  await model.close();
});

interface ListedResponse {
  id: string;
  object: string;
  model: string;
  input: Array<{ id: string; type: string }>;
}
interface ResponseList {
  object: string;
  data: ListedResponse[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

async function listResponses(apiKey: string, query = "", headers: Record<string, string> = {}) {
  const answer = await fetch(`${patchbay.baseURL}/responses${query}`, {
    headers: { authorization: `Bearer ${apiKey}`, ...headers },
  });
  expect(answer.status).toBe(200);
  return (await answer.json()) as ResponseList;
}

const notFound = { status: 404 };

describe("a user key sees only its own", () => {
  it("keeps responses apart, for retrieve, input items, continuation, delete and the list", async () => {
    const mine = await clients.alice.responses.create({ model: "principal-m", input: "alice 1" });
    const theirs = await clients.bob.responses.create({ model: "principal-m", input: "bob 1" });

    await expect(clients.bob.responses.retrieve(mine.id)).rejects.toMatchObject(notFound);
    await expect(clients.bob.responses.inputItems.list(mine.id)).rejects.toMatchObject(notFound);
    await expect(clients.bob.responses.delete(mine.id)).rejects.toMatchObject(notFound);
    await expect(
      clients.bob.responses.create({ model: "m", input: "x", previous_response_id: mine.id }),
    ).rejects.toMatchObject({ status: 404, error: { param: "previous_response_id" } });
    expect((await clients.alice.responses.retrieve(mine.id)).id).toBe(mine.id);
    expect((await clients.admin.responses.retrieve(mine.id)).id).toBe(mine.id);

    const alices = await listResponses(KEYS.alice, "?model=principal-m");
    expect(alices.data.map((response) => response.id)).toEqual([mine.id]);
    const all = await listResponses(KEYS.admin, "?model=principal-m&order=asc");
    expect(all.data.map((response) => response.id)).toEqual([mine.id, theirs.id]);

    await clients.admin.responses.delete(theirs.id);
    await expect(clients.bob.responses.retrieve(theirs.id)).rejects.toMatchObject(notFound);
  });

  it("keeps conversations apart, including conversation on responses.create", async () => {
    const conversation = await clients.alice.conversations.create({ metadata: { who: "alice" } });
    await expect(clients.bob.conversations.retrieve(conversation.id)).rejects.toMatchObject(
      notFound,
    );
    await expect(clients.bob.conversations.items.list(conversation.id)).rejects.toMatchObject(
      notFound,
    );
    await expect(
      clients.bob.conversations.items.create(conversation.id, {
        items: [{ type: "message", role: "user", content: "sneaky" }],
      }),
    ).rejects.toMatchObject(notFound);
    await expect(
      clients.bob.responses.create({ model: "m", input: "x", conversation: conversation.id }),
    ).rejects.toMatchObject({ status: 404, error: { param: "conversation" } });
    await expect(clients.bob.conversations.delete(conversation.id)).rejects.toMatchObject(notFound);
    expect((await clients.admin.conversations.retrieve(conversation.id)).metadata).toEqual({
      who: "alice",
    });
    const items = await clients.alice.conversations.items.list(conversation.id);
    expect(items.data).toEqual([]);
  });
});

describe("a key acting for end users", () => {
  it("keeps each X-Patchbay-User apart, and takes the body's user without the header", async () => {
    const asUser = (user: string) => ({ headers: { "x-patchbay-user": user } });
    const forAda = await clients.actor.responses.create(
      { model: "actor-m", input: "ada" },
      asUser("ada"),
    );
    await expect(
      clients.actor.responses.retrieve(forAda.id, {}, asUser("bo")),
    ).rejects.toMatchObject(notFound);
    await expect(clients.actor.responses.retrieve(forAda.id)).rejects.toMatchObject(notFound);
    expect((await clients.actor.responses.retrieve(forAda.id, {}, asUser("ada"))).id).toBe(
      forAda.id,
    );

    const bodyUser = await clients.actor.responses.create({
      model: "actor-m",
      input: "cy",
      user: "cy",
    });
    expect(bodyUser.user).toBe("cy");
    expect((await clients.actor.responses.retrieve(bodyUser.id, {}, asUser("cy"))).id).toBe(
      bodyUser.id,
    );
    const listed = await listResponses(KEYS.actor, "?model=actor-m", { "x-patchbay-user": "cy" });
    expect(listed.data.map((response) => response.id)).toEqual([bodyUser.id]);

    const conversation = await clients.actor.conversations.create({}, asUser("ada"));
    await expect(
      clients.actor.conversations.retrieve(conversation.id, asUser("bo")),
    ).rejects.toMatchObject(notFound);
  });

  it("refuses X-Patchbay-User from a key that may not act for users (403)", async () => {
    await expect(
      clients.alice.responses.create(
        { model: "m", input: "x" },
        { headers: { "x-patchbay-user": "mallory" } },
      ),
    ).rejects.toMatchObject({
      status: 403,
      error: { type: "permission_error", param: "x-patchbay-user" },
    });
  });

  it("ignores the body's user for a key that may not act for users", async () => {
    const response = await clients.alice.responses.create({
      model: "m",
      input: "x",
      user: "someone-else",
    });
    expect((await clients.alice.responses.retrieve(response.id)).user).toBe("someone-else");
  });
});

describe("GET /v1/responses", () => {
  it("lists newest first with input items, pages with after and limit, filters by model", async () => {
    const created = [];
    for (const input of ["first", "second", "third"]) {
      created.push(await clients.alice.responses.create({ model: "listing-m", input }));
    }
    const page = await listResponses(KEYS.alice, "?model=listing-m&limit=2");
    expect(page.object).toBe("list");
    const newestFirst = created.map((response) => response.id).reverse();
    expect(page.data.map((response) => response.id)).toEqual(newestFirst.slice(0, 2));
    expect(page).toMatchObject({
      first_id: newestFirst[0],
      last_id: newestFirst[1],
      has_more: true,
    });
    expect(page.data[0]).toMatchObject({ object: "response", model: "listing-m" });
    expect(page.data[0]?.input.map((item) => item.type)).toEqual(["message"]);
    const rest = await listResponses(KEYS.alice, `?model=listing-m&limit=2&after=${page.last_id}`);
    expect(rest.data.map((response) => response.id)).toEqual(newestFirst.slice(2));
    expect(rest.has_more).toBe(false);
  });

  it("refuses a bad limit or order with a 400 naming it", async () => {
    for (const [query, param] of [
      ["?limit=0", "limit"],
      ["?limit=101", "limit"],
      ["?order=up", "order"],
    ]) {
      const answer = await fetch(`${patchbay.baseURL}/responses${query}`, {
        headers: { authorization: `Bearer ${KEYS.alice}` },
      });
      expect(answer.status, query).toBe(400);
      expect(await answer.json()).toMatchObject({ error: { param } });
    }
  });
});
