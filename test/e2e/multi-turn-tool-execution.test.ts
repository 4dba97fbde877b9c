/**
 * Llama Stack's `test_response_non_streaming_multi_turn_tool_execution` and
 * `test_response_streaming_multi_turn_tool_execution` (tests/integration/responses/
 * test_tool_responses.py, cases from fixtures/test_cases.py) through Patchbay, with their
 * dependency-tools MCP server and a model that counts its steps, as one told "Return only one tool
 * call per step" does (issue 11 §1). Every case runs streaming and not, against every peer.
 * Where Llama Stack asks for "at least one call", these ask for exactly the calls the prompt
 * names: given a history that merges its turns, the model repeats a step until the turn limit.
 * The dependency tools are served by SDK 1.x (both transports) and SDK 2.x stateless servers.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectWellFormedStream } from "../support/collect-events.js";
import { dependencyFixtureTools } from "../support/dependency-fixture-tools.js";
import { mcpPeers, type McpPeer } from "../support/mcp-peers.js";
import { startPatchbay, type TestPatchbay } from "../support/start-patchbay.js";
import { startScriptedModel, type ScriptedModel } from "../support/scripted-model-server.js";
import {
  lastUserText,
  stepCountingModel,
  type PlannedCall,
  type StepPlan,
} from "../support/step-counting-model.js";

interface MultiTurnCase {
  id: string;
  input: string;
  plan: StepPlan;
  /** Llama Stack's `expected`: must appear in `output_text`. */
  expected: string;
}

const call = (
  name: string,
  args: (results: readonly string[]) => Record<string, unknown>,
): PlannedCall => ({ name, arguments: args });
const answerWithLastResult = (results: readonly string[]) => `Result: ${results.at(-1) ?? ""}`;

const CASES: MultiTurnCase[] = [
  {
    id: "user_file_access_check",
    input:
      "I need to check if user 'alice' can access the file 'document.txt'. First, get alice's user ID, then check if that user ID can access the file 'document.txt'. Do this as a series of steps, where each step is a separate message. Return only one tool call per step. Summarize the final result with a single 'yes' or 'no' response.",
    plan: {
      steps: [
        call("get_user_id", () => ({ username: "alice" })),
        call("check_file_access", ([userId]) => ({ user_id: userId, filename: "document.txt" })),
      ],
      answer: answerWithLastResult,
    },
    expected: "yes",
  },
  {
    id: "experiment_results_lookup",
    input:
      "I need to get the results for the 'boiling_point' experiment. First, get the experiment ID for 'boiling_point', then use that ID to get the experiment results. Tell me the boiling point in Celsius.",
    plan: {
      steps: [
        call("get_experiment_id", () => ({ experiment_name: "boiling_point" })),
        call("get_experiment_results", ([experimentId]) => ({ experiment_id: experimentId })),
      ],
      answer: answerWithLastResult,
    },
    expected: "100°C",
  },
  {
    id: "user_permissions_workflow",
    input:
      "Help me with this security check: First, get the user ID for 'charlie', then get the permissions for that user ID, and finally check if that user can access 'secret_file.txt'. Stream your progress as you work through each step. Return only one tool call per step. Summarize the final result with a single 'yes' or 'no' response.",
    plan: {
      steps: [
        call("get_user_id", () => ({ username: "charlie" })),
        call("get_user_permissions", ([userId]) => ({ user_id: userId })),
        call("check_file_access", ([userId]) => ({ user_id: userId, filename: "secret_file.txt" })),
      ],
      answer: answerWithLastResult,
    },
    expected: "no",
  },
  {
    id: "experiment_analysis_streaming",
    input:
      "I need a complete analysis: First, get the experiment ID for 'chemical_reaction', then get the results for that experiment, and tell me if the yield was above 80%. Return only one tool call per step.  Please stream your analysis process.",
    plan: {
      steps: [
        call("get_experiment_id", () => ({ experiment_name: "chemical_reaction" })),
        call("get_experiment_results", ([experimentId]) => ({ experiment_id: experimentId })),
      ],
      answer: answerWithLastResult,
    },
    expected: "85%",
  },
];

function planFor(body: Record<string, unknown>): StepPlan {
  const prompt = lastUserText(body);
  const found = CASES.find((testCase) => testCase.input === prompt);
  if (!found) throw new Error(`no plan for prompt ${prompt}`);
  return found.plan;
}

describe.each(mcpPeers.filter((peer) => peer.fixtureTools))(
  "Llama Stack's multi-turn tool execution against $name",
  (peer) => {
    let model: ScriptedModel;
    let mcp: McpPeer;
    let patchbay: TestPatchbay;

    beforeAll(async () => {
      model = await startScriptedModel({ fallback: stepCountingModel(planFor) });
      mcp = await peer.start({ tools: dependencyFixtureTools() });
      patchbay = await startPatchbay({ modelUrl: model.url });
    });
    afterAll(async () => {
      await patchbay.close();
      await mcp.close();
      await model.close();
    });

    async function run(
      testCase: MultiTurnCase,
      stream: boolean,
    ): Promise<OpenAI.Responses.Response> {
      const request = {
        model: "m",
        input: testCase.input,
        // Llama Stack's default is "never"; Patchbay's, like OpenAI's, is "always".
        tools: [
          {
            type: "mcp" as const,
            server_label: "localmcp",
            server_url: mcp.url,
            require_approval: "never" as const,
          },
        ],
      };
      if (!stream) return patchbay.client.responses.create(request);
      const streamed = patchbay.client.responses.stream(request);
      const events: OpenAI.Responses.ResponseStreamEvent[] = [];
      for await (const event of streamed) events.push(event);
      expectWellFormedStream(events);
      const types = events.map((event) => event.type);
      expect(types).toContain("response.mcp_call.completed");
      expect(types).toContain("response.output_text.delta");
      return streamed.finalResponse();
    }

    it.each(CASES.flatMap((testCase) => [false, true].map((stream) => ({ testCase, stream }))))(
      "$testCase.id (stream: $stream) makes exactly the calls the prompt asks for",
      async ({ testCase, stream }) => {
        const modelRequests = model.requests.length;
        const toolCalls = mcp.counters.callTool;
        const response = await run(testCase, stream);

        expect(response.status).toBe("completed");
        const lists = response.output.filter((item) => item.type === "mcp_list_tools");
        expect(lists).toHaveLength(1);
        expect(lists[0]?.server_label).toBe("localmcp");
        expect(lists[0]?.tools.map((tool) => tool.name).sort()).toEqual([
          "check_file_access",
          "get_experiment_id",
          "get_experiment_results",
          "get_user_id",
          "get_user_permissions",
        ]);
        const calls = response.output.flatMap((item) => (item.type === "mcp_call" ? [item] : []));
        expect(calls.map((made) => made.name)).toEqual(
          testCase.plan.steps.map((step) => step.name),
        );
        for (const made of calls) expect(made.error ?? null).toBeNull();
        expect(mcp.counters.callTool - toolCalls).toBe(testCase.plan.steps.length);
        expect(model.requests.length - modelRequests).toBe(testCase.plan.steps.length + 1);

        const final = response.output.at(-1);
        expect(final).toMatchObject({ type: "message", role: "assistant", status: "completed" });
        expect(response.output_text.toLowerCase()).toContain(testCase.expected.toLowerCase());
      },
    );
  },
);
