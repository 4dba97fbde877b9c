/**
 * `POST /v1/responses` bodies whose `tools` are `mcp` tools built field by field from the tool
 * schema (PRODUCT.md §3), each field present or not at random. Every `server_url` is the loopback
 * fixture, a loopback port nothing listens on, or a string the schema rejects: never another host.
 * Credentials are distinctive (`sekret-…`) so the test can prove they are never echoed.
 */
import fc from "fast-check";
import type { JsonObject, JsonTree } from "./json-tree.js";
import { nastyString } from "./nasty-values.js";
import { FUZZ_MODEL } from "./valid-requests.js";

export interface McpFuzzTargets {
  /** Streamable HTTP endpoint of the MCP fixture (`http://127.0.0.1:<port>/mcp`). */
  streamableUrl: string;
  /** Legacy SSE endpoint of the same fixture. */
  sseUrl: string;
  /** A loopback port with no listener. */
  closedPort: number;
  /** Connector ids configured in the target (one live, one on the closed port). */
  connectorIds: readonly string[];
}

export interface McpFuzzRequest {
  body: JsonObject;
  /** Secret values sent in `authorization` and `headers`: never to be echoed. */
  secrets: string[];
}

const label = fc.oneof(
  { weight: 15, arbitrary: fc.constantFrom("fixture", "second", "a-b_c", "x".repeat(64)) },
  { weight: 1, arbitrary: fc.oneof(nastyString, fc.constantFrom("", "x".repeat(65), "has space")) },
);
const secret = fc.stringMatching(/^[a-z0-9]{12}$/).map((value) => `sekret-${value}`);
const headerName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("X-Api-Key", "X-Tenant", "x-trace-id") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "Authorization",
      "authorization",
      "Host",
      "Content-Length",
      "Mcp-Session-Id",
      "bad name",
      "",
      "x\r\ny",
      "ä",
    ),
  },
);
const headerValueSuffix = fc.oneof(
  { weight: 4, arbitrary: fc.constant("") },
  {
    weight: 1,
    arbitrary: fc.constantFrom("\r\nX-Injected: 1", "\u0000", "\u00e9", "\u{1f600}", " "),
  },
);
const toolFilter = fc.record(
  {
    tool_names: fc.array(fc.constantFrom("echo", "add", "get_weather", "fail", "nope"), {
      maxLength: 3,
    }),
    read_only: fc.boolean(),
  },
  { requiredKeys: [] },
);
const wrongValue = fc.constantFrom<JsonTree>(1, "", [], {}, null, true, "sometimes");

/** Mostly a valid value, now and then a wrong one, so that most tools get past validation. */
function mostly<Valid, Wrong>(
  valid: fc.Arbitrary<Valid>,
  wrong: fc.Arbitrary<Wrong>,
): fc.Arbitrary<Valid | Wrong> {
  return fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: wrong });
}

export function mcpToolRequests(targets: McpFuzzTargets): fc.Arbitrary<McpFuzzRequest> {
  const fixtureBase = targets.streamableUrl.replace(/\/mcp$/, "");
  const port = new URL(targets.streamableUrl).port;
  const serverUrl = fc.oneof(
    { weight: 6, arbitrary: fc.constant(targets.streamableUrl) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        targets.sseUrl,
        `${fixtureBase}/nothing-here`,
        `${targets.streamableUrl}?q=%00#fragment`,
        fixtureBase,
        `https://127.0.0.1:${port}/mcp`,
        `http://user:pass@127.0.0.1:${port}/mcp`,
        `http://127.0.0.1:${targets.closedPort}/mcp`,
        `http://127.0.0.1:${targets.closedPort}/sse`,
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<JsonTree>(
        "not a url",
        "ftp://127.0.0.1/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://",
        "http://127.0.0.1:99999/mcp",
        "",
        42,
        null,
      ),
    },
  );
  const headerEntry = fc
    .tuple(headerName, secret, headerValueSuffix)
    .map(([name, value, suffix]): [string, string, string] => [name, `${value}${suffix}`, value]);
  const tool = fc
    .record(
      {
        type: mostly(fc.constant("mcp"), wrongValue),
        server_label: label,
        server_url: serverUrl,
        connector_id: mostly(
          fc.constantFrom(...targets.connectorIds),
          fc.constantFrom("connector_unknown", ""),
        ),
        tunnel_id: fc.constant("tunnel_1"),
        authorization: fc.tuple(fc.constantFrom("", "Bearer ", "bearer "), secret),
        headers: fc.oneof(fc.array(headerEntry, { maxLength: 3 }), fc.constant(null)),
        server_description: fc.oneof(nastyString, fc.constant(null)),
        allowed_tools: mostly(
          fc.oneof(
            fc.array(fc.constantFrom("echo", "add", "fail", "nope"), { maxLength: 3 }),
            toolFilter,
            fc.constant(null),
          ),
          wrongValue,
        ),
        require_approval: mostly(
          fc.oneof(
            fc.constantFrom<JsonTree>("always", "never", null),
            fc.record({ always: toolFilter, never: toolFilter }, { requiredKeys: [] }),
          ),
          wrongValue,
        ),
        defer_loading: mostly(fc.boolean(), wrongValue),
        allowed_callers: mostly(
          fc.constantFrom<JsonTree>(["direct"], ["programmatic"], null),
          fc.constantFrom<JsonTree>([], ["other"]),
        ),
        unknown_field: mostly(fc.constant(undefined), wrongValue),
      },
      { requiredKeys: ["type", "server_label", "unknown_field"] },
    )
    // Target fields are drawn together so that most tools name exactly one target.
    .chain((drawn) =>
      fc
        .oneof(
          { weight: 6, arbitrary: fc.constantFrom("url", "connector") },
          { weight: 1, arbitrary: fc.constantFrom("both", "neither", "as drawn") },
        )
        .map((shape) => ({ drawn, shape })),
    )
    .map(({ drawn, shape }) => {
      const {
        authorization,
        headers,
        server_url,
        connector_id,
        tunnel_id,
        unknown_field,
        ...rest
      } = drawn;
      const out: JsonObject = { ...rest };
      if (unknown_field !== undefined) out.unknown_field = unknown_field;
      const secrets: string[] = [];
      if (authorization !== undefined) {
        const [prefix, token] = authorization;
        secrets.push(token);
        out.authorization = `${prefix}${token}`;
      }
      if (headers === null) out.headers = null;
      else if (headers !== undefined) {
        secrets.push(...headers.map(([, , token]) => token));
        out.headers = Object.fromEntries(headers.map(([name, value]) => [name, value]));
      }
      const wantsUrl = shape === "url" || shape === "both" || shape === "as drawn";
      const wantsConnector = shape === "connector" || shape === "both" || shape === "as drawn";
      if (wantsUrl && (server_url !== undefined || shape !== "as drawn")) {
        out.server_url = server_url ?? targets.streamableUrl;
      }
      if (wantsConnector && (connector_id !== undefined || shape !== "as drawn")) {
        out.connector_id = connector_id ?? targets.connectorIds[0] ?? "connector_unknown";
      }
      if (shape === "as drawn" && tunnel_id !== undefined) out.tunnel_id = tunnel_id;
      return { tool: out, secrets };
    });
  return fc
    .tuple(
      fc.array(tool, { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom("fixture", "second", "absent") },
      ),
      fc.option(fc.constantFrom("echo", "nope"), { nil: undefined }),
    )
    .map(([tools, stream, choiceLabel, choiceName]) => ({
      body: {
        model: FUZZ_MODEL,
        input: "Use the tools.",
        tools: tools.map((entry) => entry.tool),
        stream,
        ...(choiceLabel === undefined
          ? {}
          : {
              tool_choice: {
                type: "mcp",
                server_label: choiceLabel,
                ...(choiceName === undefined ? {} : { name: choiceName }),
              },
            }),
      },
      secrets: tools.flatMap((entry) => entry.secrets),
    }));
}
