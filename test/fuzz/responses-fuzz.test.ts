/**
 * Property tests for `POST /v1/responses` against a real Patchbay (issue 7 "Hostile input",
 * PRODUCT.md §3): whatever the body, the answer is a 2xx or a 4xx in OpenAI's envelope, never a
 * 5xx or a hang, and a 400's `param` is a path into the request.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MCP_FAILURE_CODES } from "../../src/errors/mcp-connection-error.js";
import { connectorConfig } from "../support/config-entries.js";
import { closedPort } from "../support/listen-on-loopback.js";
import { startMcpFixture, type McpFixture } from "../support/mcp-fixture-server.js";
import { expectCreateAnswer } from "./expect-create-answer.js";
import { fuzzCase, type FuzzCase } from "./fuzz-case.js";
import { FUZZ_BODY_LIMIT, startFuzzTarget, type FuzzTarget } from "./fuzz-patchbay.js";
import {
  counted,
  fuzzParameters,
  fuzzTimeout,
  startTally,
  tallyLine,
  type FuzzProperty,
} from "./fuzz-runs.js";
import { send, type HttpAnswer } from "./http-answer.js";
import { fromJsonValue, type JsonTree } from "./json-tree.js";
import { mcpToolRequests, type McpFuzzTargets } from "./mcp-tool-requests.js";
import { nastyString } from "./nasty-values.js";
import {
  deepFreeFormCases,
  deepTypedCases,
  droppedKeyCases,
  hugeArrayCases,
  nastyStringCases,
  numberCases,
  unknownKeyCases,
  wrongTypeCases,
} from "./request-mutations.js";
import { FUZZ_MODEL, validRequests } from "./valid-requests.js";

let target: FuzzTarget;
let mcp: McpFixture;
let bases: JsonTree[];
let mcpTargets: McpFuzzTargets;
const tally = startTally();

beforeAll(async () => {
  mcp = await startMcpFixture();
  const port = await closedPort();
  mcpTargets = {
    streamableUrl: mcp.streamableUrl,
    sseUrl: mcp.sseUrl,
    closedPort: port,
    connectorIds: ["connector_fixture", "connector_closed"],
  };
  target = await startFuzzTarget((config) => {
    config.connectors.push(
      connectorConfig("connector_fixture", mcp.streamableUrl, { timeoutMs: 5_000 }),
      connectorConfig("connector_closed", `http://127.0.0.1:${port}/mcp`, { timeoutMs: 5_000 }),
    );
  });
  const stored = await post(JSON.stringify({ model: FUZZ_MODEL, input: "Remember this." }));
  const { id } = JSON.parse(stored.text) as { id: string };
  bases = validRequests(id);
});
afterAll(async () => {
  console.info(tallyLine("responses", tally));
  try {
    await target.close();
  } finally {
    await mcp.close();
  }
});

function post(body: string): Promise<HttpAnswer> {
  return send(`${target.patchbay.url}/v1/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}

async function run(fuzz: FuzzCase): Promise<void> {
  const answer = await post(fuzz.body);
  const error = expectCreateAnswer(answer, fuzz.bodyKeys);
  if (Buffer.byteLength(fuzz.body) > FUZZ_BODY_LIMIT && answer.status !== 413) {
    throw new Error(`a body over the limit got HTTP ${answer.status}, not 413`);
  }
  fuzz.check(answer, error);
}

function fuzzProperty(
  property: FuzzProperty,
  cases: (bases: JsonTree[]) => fc.Arbitrary<FuzzCase>,
): () => Promise<void> {
  return async () => {
    await fc.assert(fc.asyncProperty(cases(bases), counted(tally, run)), fuzzParameters(property));
  };
}

describe("POST /v1/responses under fuzzing", () => {
  it("accepts every base request the mutations start from", async () => {
    for (const base of bases) {
      const answer = await post(JSON.stringify(base));
      expect(expectCreateAnswer(answer), answer.text).toBeNull();
    }
  });

  it(
    "answers any JSON value, or any text, with a 2xx or a 4xx envelope",
    fuzzProperty("arbitraryJson", () =>
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc.jsonValue().map((value) => fuzzCase("json value", fromJsonValue(value))),
        },
        {
          weight: 1,
          arbitrary: nastyString.map((text) => ({ ...fuzzCase("raw text", null), body: text })),
        },
      ),
    ),
    fuzzTimeout("arbitraryJson"),
  );

  it(
    "names a dropped required key",
    fuzzProperty("droppedKey", droppedKeyCases),
    fuzzTimeout("droppedKey"),
  );

  it(
    "survives a value of the wrong type anywhere",
    fuzzProperty("wrongType", wrongTypeCases),
    fuzzTimeout("wrongType"),
  );

  it(
    "rejects an unknown key at any level with its path as param",
    fuzzProperty("unknownKey", unknownKeyCases),
    fuzzTimeout("unknownKey"),
  );

  it(
    "rejects edge numbers and non-JSON number tokens naming the field",
    fuzzProperty("numbers", numberCases),
    fuzzTimeout("numbers"),
  );

  it(
    "rejects deep nesting where a typed value belongs with a 400",
    fuzzProperty("deepTyped", deepTypedCases),
    fuzzTimeout("deepTyped"),
  );

  it(
    "accepts or rejects deep nesting inside free-form JSON fields, never a 5xx",
    fuzzProperty("deepFreeForm", deepFreeFormCases),
    fuzzTimeout("deepFreeForm"),
  );

  it(
    "handles 10,000-item arrays within the body limit",
    fuzzProperty("hugeArrays", (requests) => hugeArrayCases(requests, FUZZ_BODY_LIMIT)),
    fuzzTimeout("hugeArrays"),
  );

  it(
    "handles lone surrogates, NUL and control characters in every string",
    fuzzProperty("nastyStrings", nastyStringCases),
    fuzzTimeout("nastyStrings"),
  );

  it(
    "answers mcp tools with random fields with a 2xx, a 4xx or a 424, never echoing credentials",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          mcpToolRequests(mcpTargets),
          counted(tally, async ({ body, secrets }) => {
            const logsBefore = target.patchbay.logs.length;
            const answer = await post(JSON.stringify(body));
            const error = expectCreateAnswer(answer, Object.keys(body));
            if (answer.status === 424) {
              expect(error).toMatchObject({ type: "external_connector_error", param: "tools" });
              expect(Object.values(MCP_FAILURE_CODES)).toContain(error?.code);
            }
            const logs = target.patchbay.logs.slice(logsBefore).join("\n");
            for (const secret of secrets) {
              if (answer.text.includes(secret)) throw new Error(`answer echoes '${secret}'`);
              if (logs.includes(secret)) throw new Error(`logs hold '${secret}'`);
            }
          }),
        ),
        fuzzParameters("mcpTools"),
      );
    },
    fuzzTimeout("mcpTools"),
  );
});
