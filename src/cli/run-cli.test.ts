import { describe, expect, it } from "vitest";
import { runCli, type CliEnvironment } from "./run-cli.js";

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A CLI environment whose fetch answers `answer` and records what was sent. */
function environment(answer: { status: number; body: unknown } = { status: 200, body: {} }) {
  const sent: Sent[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const fakeFetch: typeof fetch = (input, init) => {
    sent.push({
      url: input instanceof Request ? input.url : input.toString(),
      method: init?.method ?? "GET",
      headers: Object.fromEntries(new Headers(init?.headers)),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    });
    return Promise.resolve(Response.json(answer.body, { status: answer.status }));
  };
  const cli: CliEnvironment = {
    env: { PATCHBAY_URL: "http://env:1", PATCHBAY_API_KEY: "sk-env" },
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    serve: () => Promise.reject(new Error("not in this test")),
    fetch: fakeFetch,
  };
  return { cli, sent, out, err };
}

describe("runCli global options", () => {
  it("takes --url and --api-key after a command that has no flag of that name", async () => {
    const { cli, sent } = environment({ status: 200, body: { object: "list", data: [] } });
    const code = await runCli(
      ["registries", "list", "--url", "http://after:2", "--api-key", "sk-after"],
      cli,
    );
    expect(code).toBe(0);
    expect(sent[0]?.url).toBe("http://after:2/v1/admin/mcp_registries");
    expect(sent[0]?.headers.authorization).toBe("Bearer sk-after");
  });

  it("reads --url after create as the connector's URL; the server's comes before or from env", async () => {
    const { cli, sent } = environment({ status: 201, body: { id: "c" } });
    const args = ["connectors", "create", "--connector-id", "c", "--url", "http://mcp:3/mcp"];
    expect(await runCli(args, cli)).toBe(0);
    expect(await runCli(["--url", "http://before:4", ...args], cli)).toBe(0);
    expect(sent.map((request) => request.url)).toEqual([
      "http://env:1/v1/admin/connectors",
      "http://before:4/v1/admin/connectors",
    ]);
    expect(sent[0]?.body).toEqual({ connector_id: "c", url: "http://mcp:3/mcp" });
    expect(sent[0]?.headers.authorization).toBe("Bearer sk-env");
  });

  it("percent-encodes the whole id and builds a merge patch from the flags", async () => {
    const { cli, sent } = environment({ status: 200, body: { id: "a/b" } });
    const args = ["connectors", "update", "a/b", "--header", "X-K=v=1", "--allowed-tool", "t"];
    expect(await runCli([...args, "--if-match", '"3"'], cli)).toBe(0);
    expect(sent[0]).toMatchObject({
      url: "http://env:1/v1/admin/connectors/a%2Fb",
      method: "PATCH",
      headers: { "if-match": '"3"' },
      body: { headers: { "X-K": "v=1" }, allowed_tools: ["t"] },
    });
  });

  it("prints the error envelope's message, status and code", async () => {
    const { cli, err } = environment({
      status: 409,
      body: { error: { message: "Connector 'x' already exists.", type: "x", code: "conflict" } },
    });
    const code = await runCli(
      ["connectors", "create", "--connector-id", "x", "--url", "http://m"],
      cli,
    );
    expect(code).toBe(1);
    expect(err.join("")).toBe("error: Connector 'x' already exists. (409 conflict)\n");
  });
});
