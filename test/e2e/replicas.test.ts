/**
 * Three Patchbay processes on one PostgreSQL database, driven round-robin (issue 13 "Tests", §2,
 * §3): a connector created on one replica is used on the others at once, its PATCHed URL and its
 * deletion are seen by the next request elsewhere, an approval requested on one replica is
 * answered through another; a registry added on one replica is crawled by exactly one, and when
 * the crawler is killed (kill -9) mid-crawl another one finishes the crawl.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureEntry, loadRegistrySeed } from "../support/registry-fixture-entries.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import { postgresTestDatabase } from "../support/postgres.js";
import { startRegistryFixture, type RegistryFixture } from "../support/registry-fixture-server.js";
import {
  startReplicaCluster,
  type Replica,
  type ReplicaCluster,
} from "../support/replica-cluster.js";
import {
  startScriptedModel,
  type ScriptEntry,
  type ScriptedModel,
} from "../support/scripted-model-server.js";

const postgres = postgresTestDatabase();
const TIMEOUT_MS = 120_000;

/** Calls `echo` once, then answers with what the tool said: the same for any interleaving. */
const echoThenAnswer: ScriptEntry = (body) => {
  const messages = Array.isArray(body["messages"]) ? (body["messages"] as unknown[]) : [];
  const last = messages.at(-1) as { role?: string; content?: unknown } | undefined;
  return last?.role === "tool"
    ? { text: `done: ${String(last.content)}` }
    : { toolCalls: [{ name: "echo", arguments: '{"message":"replicated"}' }] };
};

const mcpTool = (connectorId: string, requireApproval: "always" | "never" = "never") => ({
  type: "mcp" as const,
  server_label: "shared",
  connector_id: connectorId as "connector_dropbox",
  require_approval: requireApproval,
});

const body = (value: unknown) => ({ method: "POST", body: JSON.stringify(value) });

describe.skipIf(postgres.skipReason !== null)(
  "three replicas on one database",
  { timeout: TIMEOUT_MS },
  () => {
    let model: ScriptedModel;
    let first: McpFixture;
    let second: McpFixture;
    let cluster: ReplicaCluster;
    let replicas: Replica[];

    beforeAll(async () => {
      model = await startScriptedModel();
      first = await startMcpFixture({ transport: "streamable-http" });
      second = await startMcpFixture({ transport: "streamable-http" });
      cluster = await startReplicaCluster({
        count: 3,
        backend: postgres.backend(),
        modelUrl: model.url,
      });
      replicas = cluster.replicas;
    }, TIMEOUT_MS);
    afterAll(async () => {
      await cluster?.close();
      await Promise.all([first?.close(), second?.close(), model?.close()]);
    });

    it("uses a connector created on 1 on 2 and 3 at once, a URL PATCHed on 3 on 1, and forgets it when deleted on 2", async () => {
      const [one, two, three] = replicas as [Replica, Replica, Replica];
      const created = await one.api(
        "/v1/admin/connectors",
        body({ connector_id: "shared", url: first.url, transport: "streamable-http" }),
      );
      expect(created.status).toBe(201);

      model.enqueue([echoThenAnswer, echoThenAnswer, echoThenAnswer, echoThenAnswer]);
      const request = { model: "m", input: "go", tools: [mcpTool("shared")] };
      const answers = await Promise.all([
        two.client.responses.create(request),
        three.client.responses.create(request),
      ]);
      for (const answer of answers) expect(answer.output_text).toBe("done: Echo: replicated");
      expect(first.counters.callTool).toBe(2);

      const patched = await three.api("/v1/admin/connectors/shared", {
        method: "PATCH",
        headers: { "content-type": "application/merge-patch+json" },
        body: JSON.stringify({ url: second.url }),
      });
      expect(patched.status).toBe(200);
      // Replicas 2 and 3 heard of the change and closed their pooled sessions to the old server
      // (without the notice they would idle for a minute).
      await Promise.all(
        [two, three].map((replica) =>
          replica.process.waitForLog(/"kind":"connector","id":"shared".*"dropped the MCP sessions/),
        ),
      );
      await first.waitFor(() => first.openSessions === 0);
      model.enqueue([echoThenAnswer, echoThenAnswer]);
      expect((await one.client.responses.create(request)).output_text).toBe(
        "done: Echo: replicated",
      );
      expect(second.counters.callTool).toBe(1);
      expect(first.counters.callTool).toBe(2);

      expect((await two.api("/v1/admin/connectors/shared", { method: "DELETE" })).status).toBe(200);
      const unknown = await one.api("/v1/responses", body(request));
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toMatchObject({ error: { code: "unknown_connector" } });
    });

    it("runs a tool call approved through 2 that was requested on 1", async () => {
      const [one, two] = replicas as [Replica, Replica];
      expect(
        (
          await one.api(
            "/v1/admin/connectors",
            body({ connector_id: "approved", url: first.url, transport: "streamable-http" }),
          )
        ).status,
      ).toBe(201);
      const tools = [mcpTool("approved", "always")];
      model.enqueue(echoThenAnswer);
      const asked = await one.client.responses.create({ model: "m", input: "go", tools });
      const approvalRequest = asked.output.find((item) => item.type === "mcp_approval_request");
      if (approvalRequest?.type !== "mcp_approval_request") throw new Error("expected an approval");
      const calls = first.counters.callTool;

      model.enqueue(echoThenAnswer);
      const approved = await two.client.responses.create({
        model: "m",
        previous_response_id: asked.id,
        input: [
          { type: "mcp_approval_response", approval_request_id: approvalRequest.id, approve: true },
        ],
        tools,
      });
      expect(approved.output.map((item) => item.type)).toEqual(["mcp_call", "message"]);
      expect(approved.output_text).toBe("done: Echo: replicated");
      expect(first.counters.callTool).toBe(calls + 1);
    });

    describe("registries", () => {
      let registry: RegistryFixture;
      let big: RegistryFixture;

      beforeAll(async () => {
        registry = await startRegistryFixture({
          servers: ["io.test/a", "io.test/b", "io.test/c"].map((name) =>
            fixtureEntry(name, { remotes: [{ type: "streamable-http", url: first.url }] }),
          ),
        });
        big = await startRegistryFixture({ servers: loadRegistrySeed() });
      });
      afterAll(async () => {
        await Promise.all([registry?.close(), big?.close()]);
      });

      const passLog = (id: string, what: string) =>
        new RegExp(`"registry_id":"${id}".*"msg":"registry ${what}`);

      it("crawls a registry added on 2 on exactly one replica, which all then resolve through", async () => {
        const two = replicas[1]!;
        const added = await two.api(
          "/v1/admin/mcp_registries",
          body({ id: "once", url: registry.url, sync_interval_s: 3600 }),
        );
        expect(added.status).toBe(201);
        // One replica crawls; the others wait for its lock, then find the mirror fresh.
        await Promise.all(
          replicas.map((replica) =>
            Promise.race([
              replica.process.waitForLog(passLog("once", "sync finished")),
              replica.process.waitForLog(passLog("once", "pass skipped")),
            ]),
          ),
        );
        const crawlers = replicas.filter((replica) =>
          replica.process.logs.some((line) => passLog("once", "pass started").test(line)),
        );
        expect(crawlers).toHaveLength(1);
        const listings = registry.requests.filter((request) => request.path === "/v0.1/servers");
        expect(listings).toHaveLength(1);

        for (const replica of replicas) {
          const listed = await replica.api("/v1/connectors?registry_id=once");
          expect(listed.status).toBe(200);
          const { data } = (await listed.json()) as { data: Array<{ id: string }> };
          expect(data.map((connector) => connector.id)).toEqual([
            "mcp::once::io.test/a",
            "mcp::once::io.test/b",
            "mcp::once::io.test/c",
          ]);
        }
      });

      it("finishes a crawl on another replica when the crawler is killed mid-crawl", async () => {
        // The first page is answered, every later one held: the crawler is stuck mid-crawl.
        big.holdWhen = (request) => request.query["cursor"] !== undefined;
        const adder = cluster.next();
        const added = await adder.api(
          "/v1/admin/mcp_registries",
          body({ id: "big", url: big.url, sync_interval_s: 3600 }),
        );
        expect(added.status).toBe(201);
        const crawler = await Promise.race(
          replicas.map((replica) =>
            replica.process.waitForLog(passLog("big", "pass started")).then(() => replica),
          ),
        );
        await big.waitForRequests(2);
        big.holdWhen = null;
        await cluster.kill(crawler);

        const survivors = replicas.filter((replica) => replica.alive);
        const finisher = await Promise.race(
          survivors.map((replica) =>
            replica.process.waitForLog(passLog("big", "sync finished")).then(() => replica),
          ),
        );
        expect(finisher).not.toBe(crawler);
        const status = await cluster.next().api("/v1/admin/mcp_registries/big");
        expect(status.status).toBe(200);
        const { status: sync } = (await status.json()) as {
          status: { servers: number; last_success_at: string | null };
        };
        expect(sync.last_success_at).not.toBeNull();
        expect(sync.servers).toBeGreaterThan(300);
      });
    });
  },
);
