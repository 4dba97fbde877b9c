/**
 * `patchbay connectors probe <id> [--authorization TOKEN]` (issue 15 §3): an admin's probe of one
 * connector's MCP server (connect, initialize, `tools/list`, never a tool call). The token goes
 * in the request body, which the server never stores or echoes. A failing server is still exit 0:
 * its health says how it failed.
 */
import { z } from "zod";
import type { CliCommand } from "./command.js";
import { parseAnswer } from "./parse-answer.js";

const ProbeAnswerSchema = z.looseObject({
  connector_id: z.string(),
  tool_count: z.number().nullable(),
  health: z.looseObject({ status: z.string() }),
});

export const connectorsProbeCommand: CliCommand = {
  group: "connectors",
  name: "probe",
  arguments: ["id"],
  summary: "connect to the connector's MCP server and list its tools now (admin)",
  options: {
    authorization: {
      type: "string",
      value: "TOKEN",
      description: "the MCP server's access token, for this probe only",
    },
  },
  async run({ args, options, client, output }) {
    const token = options.string("authorization");
    const response = await client.request({
      method: "POST",
      path: `/v1/admin/connectors/${encodeURIComponent(args[0] ?? "")}/probe`,
      body: token === undefined ? {} : { token },
    });
    const probe = parseAnswer(ProbeAnswerSchema, response.body, "probe");
    if (output.json) {
      output.record(probe);
      return;
    }
    const { connector_id, tool_count, health } = probe;
    output.record({ connector_id, tool_count, ...health });
  },
};
