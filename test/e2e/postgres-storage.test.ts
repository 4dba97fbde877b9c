/**
 * The runtime on PostgreSQL end to end (issue 13 §1, issue 12 "Storage wiring"): two Patchbay
 * replicas on one database, driven with the official openai client and plain HTTP, for responses
 * with `previous_response_id`, admin connector CRUD and registry mirror resolution.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PostgresBackendConfig } from "../../src/config/patchbay-config.js";
import { registryConfig } from "../support/config-entries.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import { postgresTestDatabase } from "../support/postgres.js";
import {
  fixtureEntry,
  startRegistryFixture,
  type RegistryFixture,
} from "../support/registry-fixture-server.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";

const postgres = postgresTestDatabase();

describe.skipIf(postgres.skipReason !== null)("Patchbay on PostgreSQL", () => {
  let model: ScriptedModel;
  let mcp: McpFixture;
  let registry: RegistryFixture;
  let backend: PostgresBackendConfig;
  let first: TestPatchbay;
  let second: TestPatchbay;

  const start = () =>
    startPatchbay({
      modelUrl: model.url,
      configure: (config) => {
        config.storage.backend = backend;
        config.registries.push(registryConfig("test", registry.url));
      },
    });
  const call = (replica: TestPatchbay, path: string, init: RequestInit = {}) =>
    fetch(`${replica.baseURL}${path}`, {
      ...init,
      headers: { "content-type": "application/json", ...init.headers },
    });

  beforeAll(async () => {
    model = await startScriptedModel();
    mcp = await startMcpFixture({ transport: "streamable-http" });
    registry = await startRegistryFixture({
      servers: [
        fixtureEntry("io.test/echo", { remotes: [{ type: "streamable-http", url: mcp.url }] }),
        fixtureEntry("io.test/other", { description: "Nothing to see" }),
      ],
    });
    backend = postgres.backend();
    // Both replicas start together: they migrate and crawl the registry at the same time.
    [first, second] = await Promise.all([start(), start()]);
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await Promise.all([registry?.close(), mcp?.close(), model?.close()]);
  });

  it("stores a response on one replica and continues it from the other", async () => {
    model.enqueue([{ text: "Paris." }, { text: "About 2.1 million." }]);
    const opening = await first.client.responses.create({
      model: "m",
      input: "Capital of France?",
    });
    const followUp = await second.client.responses.create({
      model: "m",
      input: "Population?",
      previous_response_id: opening.id,
    });
    expect(followUp.output_text).toBe("About 2.1 million.");
    const sent = JSON.stringify(model.requests.at(-1)?.body["messages"]);
    expect(sent).toContain("Capital of France?");
    expect(sent).toContain("Paris.");

    expect((await second.client.responses.retrieve(opening.id)).output_text).toBe("Paris.");
    const items = await first.client.responses.inputItems.list(followUp.id);
    expect(items.data.map((item) => item.type)).toEqual(["message"]);
    await first.client.responses.delete(opening.id);
    await expect(second.client.responses.retrieve(opening.id)).rejects.toMatchObject({
      status: 404,
    });
  });

  it("appends two responses racing on one conversation from two replicas, whole and in completion order", async () => {
    const conversation = await first.client.conversations.create({
      items: [{ type: "message", role: "user", content: "Start" }],
    });
    const reply = (body: Record<string, unknown>) =>
      JSON.stringify((body["messages"] as unknown[]).at(-1)).includes("slow")
        ? { text: "slow answer", chunks: 10, delayMs: 100 }
        : { text: "fast answer" };
    model.enqueue([reply, reply]);
    const finished: string[] = [];
    const ask = async (replica: TestPatchbay, input: string) => {
      const response = await replica.client.responses.create({
        model: "m",
        input,
        conversation: conversation.id,
      });
      finished.push(input);
      return response;
    };
    const slow = ask(first, "slow question");
    await model.waitForRequests(model.requests.length + 1);
    const answers = await Promise.all([ask(second, "fast question"), slow]);

    const items = [];
    for await (const item of second.client.conversations.items.list(conversation.id, {
      order: "asc",
    })) {
      items.push(item);
    }
    const texts = items.map((item) =>
      item.type === "message"
        ? item.content.map((part) => ("text" in part ? part.text : "")).join("")
        : item.type,
    );
    const answerOf = { "fast question": "fast answer", "slow question": "slow answer" } as const;
    expect(texts).toEqual([
      "Start",
      ...finished.flatMap((input) => [input, answerOf[input as keyof typeof answerOf]]),
    ]);
    expect(answers.map((answer) => answer.conversation)).toEqual([
      { id: conversation.id },
      { id: conversation.id },
    ]);
  });

  it("creates, reads, patches and deletes an admin connector, seen by both replicas", async () => {
    const created = await call(first, "/admin/connectors", {
      method: "POST",
      body: JSON.stringify({ connector_id: "pg_echo", url: mcp.url, require_approval: "never" }),
    });
    expect(created.status).toBe(201);
    const etag = created.headers.get("etag") ?? "";

    const read = await call(second, "/admin/connectors/pg_echo");
    expect(read.status).toBe(200);
    expect(read.headers.get("etag")).toBe(etag);

    model.enqueue([
      { toolCalls: [{ name: "echo", arguments: '{"message":"from postgres"}' }] },
      { text: "done" },
    ]);
    const used = await first.client.responses.create({
      model: "m",
      input: "x",
      tools: [
        { type: "mcp", server_label: "echo", connector_id: "pg_echo" as "connector_dropbox" },
      ],
    });
    expect(used.output[1]).toMatchObject({ type: "mcp_call", output: "Echo: from postgres" });

    const patched = await call(second, "/admin/connectors/pg_echo", {
      method: "PATCH",
      headers: { "content-type": "application/merge-patch+json", "if-match": etag },
      body: JSON.stringify({ description: "Echo on PostgreSQL" }),
    });
    expect(patched.status).toBe(200);
    const stale = await call(first, "/admin/connectors/pg_echo", {
      method: "DELETE",
      headers: { "if-match": etag },
    });
    expect(stale.status).toBe(412);
    const deleted = await call(first, "/admin/connectors/pg_echo", {
      method: "DELETE",
      headers: { "if-match": patched.headers.get("etag") ?? "" },
    });
    expect(deleted.status).toBe(200);
    expect((await call(second, "/admin/connectors/pg_echo")).status).toBe(404);
  });

  it("mirrors a registry into PostgreSQL and resolves its servers on either replica", async () => {
    expect((await call(first, "/admin/mcp_registries/test/sync", { method: "POST" })).status).toBe(
      200,
    );
    const listing = (await (await call(second, "/connectors?source=registry")).json()) as {
      data: Array<{ id: string }>;
    };
    expect(listing.data.map((connector) => connector.id)).toEqual(["mcp::test::io.test/echo"]);
    const counted = await postgres.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "${backend.schema}".registry_servers WHERE registry_id = 'test'`,
    );
    expect(counted).toEqual([{ count: 2 }]);

    model.enqueue([
      { toolCalls: [{ name: "echo", arguments: '{"message":"mirrored"}' }] },
      { text: "done" },
    ]);
    const response = await second.client.responses.create({
      model: "m",
      input: "x",
      tools: [
        {
          type: "mcp",
          server_label: "reg",
          connector_id: "mcp::test::io.test/echo" as "connector_dropbox",
          require_approval: "never",
        },
      ],
    });
    expect(response.output[1]).toMatchObject({ type: "mcp_call", output: "Echo: mirrored" });
  });
});
