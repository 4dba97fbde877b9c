/**
 * The `patchbay` CLI end to end (issue 6 item 4): the real binary (`node bin/patchbay.js`), run
 * from a temp directory to prove it does not depend on the working directory, against a real
 * Patchbay with SDK-built MCP servers and a registry fixture as peers: the connector and registry
 * lifecycles, table and `--json` output. Exit codes and `serve`: `cli-exit-codes.test.ts`.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../support/listen-on-loopback.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import {
  PROCESS_TEST_TIMEOUT_MS,
  startCliHarness,
  type CliHarness,
  type CliRun,
} from "../support/patchbay-cli.js";
import {
  fixtureEntry,
  startRegistryFixture,
  type RegistryFixture,
} from "../support/registry-fixture-server.js";

let cli: CliHarness;
let mcp: McpFixture;
let moved: McpFixture;
let guarded: McpFixture;
let registry: RegistryFixture;

const admin = (...args: string[]) => cli.admin(...args);
const asUser = (...args: string[]) => cli.asUser(...args);
const json = (run: CliRun): Record<string, unknown> => {
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
};
const lineOf = (text: string, start: string) =>
  text.split("\n").find((line) => line.startsWith(`${start} `));

beforeAll(async () => {
  cli = await startCliHarness();
  mcp = await startMcpFixture({ transport: "streamable-http" });
  moved = await startMcpFixture({ transport: "streamable-http" });
  guarded = await startMcpFixture({ transport: "streamable-http", requireBearer: "tok-1" });
  registry = await startRegistryFixture({
    servers: [fixtureEntry("io.test/x", { remotes: [{ type: "streamable-http", url: mcp.url }] })],
  });
});
afterAll(async () => {
  await cli?.close();
  await Promise.all([mcp?.close(), moved?.close(), guarded?.close()]);
  await registry?.close();
});

describe("connectors", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("creates, lists, gets, updates and deletes a managed connector", async () => {
    const created = await admin(
      ...["connectors", "create", "--connector-id", "cli-docs", "--url", mcp.url],
      ...["--transport", "streamable-http", "--header", "X-Team=docs", "--timeout-ms", "5000"],
      ...["--description", "Docs server", "--allowed-tool", "echo", "--allowed-tool", "add"],
    );
    expect(created).toMatchObject({ code: 0, stderr: "" });
    expect(lineOf(created.stdout, "connector_id")).toMatch(/ cli-docs$/);
    expect(lineOf(created.stdout, "headers")).toContain('{"X-Team":"<redacted>"}');
    expect(lineOf(created.stdout, "allowed_tools")).toContain('["echo","add"]');
    expect(lineOf(created.stdout, "etag")).toMatch(/ "\S+"$/);

    const listed = await asUser("connectors", "list");
    expect(listed).toMatchObject({ code: 0, stderr: "" });
    const [header, ...rows] = listed.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^ID\s+SOURCE\s+TRANSPORT\s+STATUS\s+URL$/);
    expect(rows.find((row) => row.startsWith("cli-docs "))).toMatch(
      new RegExp(`^cli-docs\\s+api\\s+streamable-http\\s+active\\s+${mcp.url}$`),
    );

    expect(json(await asUser("connectors", "get", "cli-docs", "--json"))).toMatchObject({
      id: "cli-docs",
      source: "api",
      url: mcp.url,
    });

    const updated = await admin("connectors", "update", "cli-docs", "--url", moved.url);
    expect(updated).toMatchObject({ code: 0, stderr: "" });
    expect(lineOf(updated.stdout, "url")).toMatch(new RegExp(` ${moved.url}$`));
    const etag = lineOf(updated.stdout, "etag")?.split(/\s+/)[1] ?? "";
    const stale = await admin(
      ...["connectors", "update", "cli-docs", "--description", "x", "--if-match", '"0"'],
    );
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/^error: .+ \(412 \w+\)\n$/);
    const fresh = await admin(
      ...["connectors", "update", "cli-docs", "--description", "Moved", "--if-match", etag],
    );
    expect(fresh.code).toBe(0);
    expect(json(await asUser("connectors", "get", "cli-docs", "--json"))).toMatchObject({
      url: moved.url,
      description: "Moved",
    });

    const deleted = await admin("connectors", "delete", "cli-docs");
    expect(deleted).toMatchObject({ code: 0, stdout: "deleted connector cli-docs\n" });
    const gone = await asUser("connectors", "get", "cli-docs");
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: .*cli-docs.* \(404 \w+\)\n$/);
  });

  it("creates from --file (relative to the working directory) and prints raw JSON with --json", async () => {
    const spec = { connector_id: "cli-file", url: mcp.url, require_approval: "never" };
    await writeFile(join(cli.cwd, "spec.json"), JSON.stringify(spec));
    const created = json(await admin("--json", "connectors", "create", "--file", "spec.json"));
    expect(created).toMatchObject({
      id: "cli-file",
      object: "connector",
      require_approval: "never",
    });

    const list = json(await asUser("connectors", "list", "--json", "--search", "cli-file"));
    expect(list).toMatchObject({ object: "list", has_more: false, first_id: "cli-file" });
    expect((list.data as Array<{ id: string }>).map((item) => item.id)).toEqual(["cli-file"]);

    expect(json(await admin("connectors", "delete", "cli-file", "--json"))).toEqual({
      id: "cli-file",
      object: "connector.deleted",
      deleted: true,
    });
  });

  it("lists a connector's live tools with the caller's token in X-Connector-Authorization", async () => {
    const created = await admin(
      ...["connectors", "create", "--connector-id", "cli-guarded", "--url", guarded.url],
    );
    expect(created.code).toBe(0);

    const tools = await asUser("connectors", "tools", "cli-guarded", "--authorization", "tok-1");
    expect(tools).toMatchObject({ code: 0, stderr: "" });
    const [header, ...rows] = tools.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^NAME\s+READ_ONLY\s+DESCRIPTION$/);
    expect(rows.map((row) => row.split(/\s+/)[0])).toContain("echo");
    const listed = json(
      await asUser("connectors", "tools", "cli-guarded", "--authorization", "tok-1", "--json"),
    );
    expect((listed.data as Array<{ name: string }>).map((tool) => tool.name)).toContain("echo");

    const refused = await asUser("connectors", "tools", "cli-guarded");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: .+ \(401 \w+\)\n$/);
    expect((await admin("connectors", "delete", "cli-guarded")).code).toBe(0);
  });

  it("probes a connector as an admin, the token in the body and nowhere in the answer", async () => {
    const spec = ["--connector-id", "cli-probed", "--url", guarded.url];
    expect((await admin("connectors", "create", ...spec)).code).toBe(0);
    const probed = await admin("connectors", "probe", "cli-probed", "--authorization", "tok-1");
    expect(probed).toMatchObject({ code: 0, stderr: "" });
    expect(probed.stdout).toMatch(/^connector_id\s+cli-probed$/m);
    expect(probed.stdout).toMatch(/^status\s+ok$/m);
    expect(probed.stdout).toMatch(/^tool_count\s+[1-9]\d*$/m);
    expect(probed.stdout).not.toContain("tok-1");
    const refused = json(await admin("connectors", "probe", "cli-probed", "--json"));
    expect(refused).toMatchObject({ tool_count: null, health: { status: "auth_required" } });
    expect((await asUser("connectors", "probe", "cli-probed")).code).toBe(1);
    expect((await admin("connectors", "delete", "cli-probed")).code).toBe(0);
  });
});

describe("registries", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("adds, syncs, lists, updates and removes a registry", async () => {
    const added = await admin(
      ...["registries", "add", "--id", "clireg", "--url", registry.url, "--name", "CLI"],
      ...["--include", "io.test/*", "--sync-interval-s", "600"],
    );
    expect(added).toMatchObject({ code: 0, stderr: "" });
    expect(lineOf(added.stdout, "id")).toMatch(/ clireg$/);

    const synced = await admin("registries", "sync", "clireg");
    expect(synced).toMatchObject({ code: 0, stderr: "" });
    expect(lineOf(synced.stdout, "mode")).toMatch(/ (full|incremental)$/);
    for (const count of ["upserted", "deleted", "skipped"])
      expect(lineOf(synced.stdout, count)).toMatch(/ \d+$/);
    expect(lineOf(synced.stdout, "servers")).toMatch(/ 1$/);
    expect(lineOf(synced.stdout, "versions")).toMatch(/ 1$/);

    const listed = await admin("registries", "list");
    expect(listed.code).toBe(0);
    const [header, ...rows] = listed.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^ID\s+SOURCE\s+SERVERS\s+VERSIONS\s+LAST_SUCCESS\s+URL\s+LAST_ERROR$/);
    expect(rows.find((row) => row.startsWith("clireg "))).toMatch(/^clireg\s+api\s+1\s+1\s+\S+/);

    const connectors = await asUser("connectors", "list", "--source", "registry");
    expect(connectors.stdout).toMatch(/^mcp::clireg::io\.test\/x\s+registry\s/m);

    const updated = json(
      await admin("--json", "registries", "update", "clireg", "--sync-interval-s", "60"),
    );
    expect(updated).toMatchObject({ id: "clireg", sync_interval_s: 60, name: "CLI" });

    const removed = await admin("registries", "remove", "clireg");
    expect(removed).toMatchObject({ code: 0, stdout: "removed registry clireg\n" });
    const after = json(await admin("registries", "list", "--json"));
    expect((after.data as Array<{ id: string }>).map((item) => item.id)).not.toContain("clireg");
  });

  it("reports a failed sync as the server's 502 registry_error", async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    expect((await admin("registries", "add", "--id", "down", "--url", down)).code).toBe(0);
    const failed = await admin("registries", "sync", "down");
    expect(failed).toMatchObject({ code: 1, stdout: "" });
    expect(failed.stderr).toMatch(
      /^error: Sync of registry 'down' failed: .+ \(502 registry_error\)\n$/,
    );
    expect((await admin("registries", "remove", "down")).code).toBe(0);
  });
});
