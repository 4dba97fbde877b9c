/**
 * The client command the conformance suite runs once per scenario: `patchbay-client.ts
 * <server-url>`. It sends Patchbay (at PATCHBAY_URL, started by run-conformance.ts) one
 * `POST /v1/responses` with an `mcp` tool whose `server_url` is the scenario's server, so the
 * scenario sees Patchbay's real MCP client: tools/list, then tools/call when the scripted model
 * calls a tool. Exits 0 when the response completed, 1 otherwise (printing why).
 */
import { CALLS_PREFIX } from "./tool-calling-model.js";

const serverUrl = process.argv.at(-1);
const patchbayUrl = process.env.PATCHBAY_URL;
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? "unknown";
// Some scenarios name the calls a client should make (`{"toolCalls":[{name, arguments}]}`): the
// model is told them in the input, as a user would ask for them (tool-calling-model.ts).
const context = process.env.MCP_CONFORMANCE_CONTEXT;
const asked = context === undefined ? "" : `\n${CALLS_PREFIX}${context}`;
if (!serverUrl || !patchbayUrl) {
  console.error("usage: PATCHBAY_URL=http://… patchbay-client.ts <server-url>");
  process.exit(2);
}

const response = await fetch(`${patchbayUrl}/v1/responses`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    model: "conformance",
    input: `Conformance scenario ${scenario}: call the tools you are given.${asked}`,
    tools: [
      {
        type: "mcp",
        server_label: "conformance",
        server_url: serverUrl,
        require_approval: "never",
      },
    ],
  }),
  signal: AbortSignal.timeout(60_000),
});
const text = await response.text();
console.log(text);
const completed = response.ok && (JSON.parse(text) as { status?: unknown }).status === "completed";
process.exit(completed ? 0 : 1);
