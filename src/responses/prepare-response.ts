/**
 * Turns a validated request into a `PreparedResponse`: loads its context (the
 * `previous_response_id` chain or the conversation, through the `ContextSource` port), gives input
 * items ids, routes the model and builds the echoed Response fields. Every failure here is an HTTP
 * error in both modes, because nothing has been sent yet (PRODUCT.md §3, §8.5).
 */
import type { ChatModel, ChatRequest, ChatTool, ChatToolChoice } from "../inference/chat-model.js";
import { invalidRequest } from "../errors/invalid-request-error.js";
import { contextReference, type ContextSource } from "./context-source.js";
import type { Principal } from "./principal.js";
import type { CreateResponseRequest } from "./create-response-request.js";
import type {
  ConversationItem,
  McpApprovalRequestItem,
  ResponseObject,
  TextConfig,
  ToolChoice,
} from "./response-types.js";
import type { EchoedTool } from "./tool-types.js";
import type { FunctionTool } from "./tool-schema.js";
import type { PreparedResponse } from "./run-response.js";
import { newId } from "./ids.js";
import { toConversationItems } from "./to-conversation-items.js";
import { prepareMcpTools, type McpToolDeps } from "./prepare-mcp-tools.js";
import type { McpToolset } from "./mcp-toolset.js";

/** Routes a request's `model` to a chat model (PRODUCT.md §2 "Inference"). */
export interface ModelResolver {
  resolve(model: string): { chatModel: ChatModel; upstreamModel: string };
}

export interface PrepareDeps {
  models: ModelResolver;
  context: ContextSource;
  now: () => number;
  /** MCP servers and connectors; null when this app serves no `mcp` tools. */
  mcpTools: McpToolDeps | null;
}

export interface PreparedRequest {
  prepared: PreparedResponse;
  /** This request's input items, with ids: what `input_items` lists. */
  inputItems: ConversationItem[];
  /** The conversation the finished turn is appended to, or null. */
  conversationId: string | null;
}

export async function prepareResponse(
  request: CreateResponseRequest,
  deps: PrepareDeps,
  signal: AbortSignal,
  principal: Principal,
): Promise<PreparedRequest> {
  if (request.previous_response_id && request.conversation) {
    throw invalidRequest(
      "Parameters 'previous_response_id' and 'conversation' cannot be used together.",
      "conversation",
    );
  }
  const reference = contextReference(request);
  if (request.background && request.store === false) {
    throw invalidRequest("Background responses require 'store' to be true.", "background");
  }
  const functionTools = (request.tools ?? []).filter(
    (tool): tool is FunctionTool => tool.type === "function",
  );
  const mcpTools = (request.tools ?? []).flatMap((tool, index) =>
    tool.type === "mcp" ? [{ tool, index }] : [],
  );
  if (mcpTools.length > 0 && !deps.mcpTools) {
    throw invalidRequest(
      "MCP tools are not enabled on this server.",
      `tools[${mcpTools[0]?.index ?? 0}]`,
    );
  }
  const choice = request.tool_choice;
  const mcpChoice =
    choice !== undefined && typeof choice !== "string" && choice.type === "mcp" ? choice : null;
  if (mcpChoice && !mcpTools.some(({ tool }) => tool.server_label === mcpChoice.server_label)) {
    throw invalidRequest(
      `No mcp tool with server_label '${mcpChoice.server_label}' in 'tools'.`,
      "tool_choice",
    );
  }
  const history = reference ? await deps.context.load(reference, principal) : [];
  const inputItems = toConversationItems(request.input);
  const context = [...history, ...inputItems];
  const approved = checkApprovals(inputItems, context, mcpTools);
  const route = deps.models.resolve(request.model);
  const functionChoice = mcpChoice ? undefined : toChatToolChoice(choice, functionTools);

  const mcp =
    deps.mcpTools && mcpTools.length > 0
      ? await prepareMcpTools(
          mcpTools,
          context,
          new Set(functionTools.map((tool) => tool.name)),
          deps.mcpTools,
          signal,
        )
      : null;
  try {
    const echoed: EchoedTool[] = (request.tools ?? []).flatMap((tool, index) =>
      tool.type === "function"
        ? [echoFunctionTool(tool)]
        : (mcp?.servers.filter((server) => server.index === index).map((server) => server.echo) ??
          []),
    );
    const conversationId = reference?.kind === "conversation" ? reference.id : null;
    const base = buildBase(request, deps.now(), echoed, conversationId);
    const chatOptions: Omit<ChatRequest, "messages" | "tools" | "toolChoice"> = {
      model: route.upstreamModel,
      ...(request.temperature != null ? { temperature: request.temperature } : {}),
      ...(request.top_p != null ? { topP: request.top_p } : {}),
      ...(request.max_output_tokens != null ? { maxOutputTokens: request.max_output_tokens } : {}),
      ...(request.user != null ? { user: request.user } : {}),
      ...(request.parallel_tool_calls != null
        ? { parallelToolCalls: request.parallel_tool_calls }
        : {}),
      ...responseFormat(request.text?.format),
    };
    const chatTools: ChatTool[] = functionTools.map((tool) => ({
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        parameters: tool.parameters ?? { type: "object", properties: {} },
        ...(tool.strict != null ? { strict: tool.strict } : {}),
      },
    }));
    return {
      prepared: {
        base,
        context,
        chatModel: route.chatModel,
        chatOptions,
        functionTools: chatTools,
        toolChoice:
          mcpChoice && mcp
            ? mcpToolChoice(mcp, mcpChoice.server_label, mcpChoice.name ?? null)
            : functionChoice,
        onlyServerLabel: mcpChoice?.server_label,
        mcp,
        approved,
      },
      inputItems,
      conversationId,
    };
  } catch (error) {
    await mcp?.releaseAll();
    throw error;
  }
}

/** Forces the named MCP tool, or any tool of that server (`required` with only its tools offered). */
function mcpToolChoice(mcp: McpToolset, serverLabel: string, name: string | null): ChatToolChoice {
  if (name === null) return "required";
  const server = mcp.server(serverLabel);
  if (!server?.tools.some((tool) => tool.name === name)) {
    throw invalidRequest(`MCP server '${serverLabel}' has no tool '${name}'.`, "tool_choice");
  }
  return { type: "function", function: { name: mcp.names.functionName(serverLabel, name) } };
}

/**
 * Each `mcp_approval_response` must answer an `mcp_approval_request` in context whose server is
 * among this request's `mcp` tools (the tool definition is re-sent on every request, reference §5.2).
 * Returns the approved requests: their name and arguments are the exact call to run. An answer
 * whose call already ran (a replayed history) is not executed again.
 */
function checkApprovals(
  inputItems: readonly ConversationItem[],
  context: readonly ConversationItem[],
  mcpTools: ReadonlyArray<{ tool: { server_label: string } }>,
): McpApprovalRequestItem[] {
  const approved: McpApprovalRequestItem[] = [];
  inputItems.forEach((item, position) => {
    if (item.type !== "mcp_approval_response") return;
    const request = context.find(
      (candidate) =>
        candidate.type === "mcp_approval_request" && candidate.id === item.approval_request_id,
    );
    if (request?.type !== "mcp_approval_request") {
      throw invalidRequest(
        `No mcp_approval_request with id '${item.approval_request_id}' in this conversation.`,
        `input[${position}].approval_request_id`,
      );
    }
    if (!mcpTools.some(({ tool }) => tool.server_label === request.server_label)) {
      throw invalidRequest(
        `Approving a call to '${request.server_label}' needs that mcp tool in 'tools'.`,
        "tools",
      );
    }
    const answered = context.some(
      (candidate) =>
        candidate.type === "mcp_call" && candidate.approval_request_id === item.approval_request_id,
    );
    if (item.approve && !answered) approved.push(request);
  });
  return approved;
}

function buildBase(
  request: CreateResponseRequest,
  now: number,
  tools: EchoedTool[],
  conversationId: string | null,
): ResponseObject {
  const text: TextConfig = {
    format: echoFormat(request.text?.format),
    verbosity: request.text?.verbosity ?? "medium",
  };
  return {
    id: newId("resp"),
    object: "response",
    created_at: now,
    completed_at: null,
    status: "in_progress",
    background: request.background ?? false,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    max_tool_calls: request.max_tool_calls ?? null,
    model: request.model,
    output: [],
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: {
      effort: request.reasoning?.effort ?? null,
      summary: request.reasoning?.summary ?? request.reasoning?.generate_summary ?? null,
    },
    service_tier: request.service_tier ?? "default",
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text,
    tool_choice: (request.tool_choice ?? "auto") satisfies ToolChoice,
    tools,
    top_logprobs: request.top_logprobs ?? 0,
    top_p: request.top_p ?? 1,
    truncation: request.truncation ?? "disabled",
    usage: null,
    user: request.user ?? null,
    safety_identifier: request.safety_identifier ?? null,
    prompt_cache_key: request.prompt_cache_key ?? null,
    metadata: request.metadata ?? {},
    conversation: conversationId === null ? null : { id: conversationId },
  };
}

function echoFormat(
  format: NonNullable<CreateResponseRequest["text"]>["format"],
): TextConfig["format"] {
  if (!format || format.type !== "json_schema") return format ?? { type: "text" };
  return {
    type: "json_schema",
    name: format.name,
    schema: format.schema,
    ...(format.description !== undefined ? { description: format.description } : {}),
    ...(format.strict != null ? { strict: format.strict } : {}),
  };
}

function echoFunctionTool(tool: FunctionTool): EchoedTool {
  return {
    type: "function",
    name: tool.name,
    description: tool.description ?? null,
    parameters: tool.parameters ?? null,
    strict: tool.strict ?? true,
  };
}

function toChatToolChoice(
  choice: CreateResponseRequest["tool_choice"],
  tools: FunctionTool[],
): ChatToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice === "string") return choice;
  if (choice.type === "function") {
    if (!tools.some((tool) => tool.name === choice.name)) {
      throw invalidRequest(
        `Tool choice '${choice.name}' not found in 'tools' parameter.`,
        "tool_choice",
      );
    }
    return { type: "function", function: { name: choice.name } };
  }
  return undefined;
}

function responseFormat(format: NonNullable<CreateResponseRequest["text"]>["format"]): {
  responseFormat?: Record<string, unknown>;
} {
  if (!format || format.type === "text") return {};
  if (format.type === "json_object") return { responseFormat: { type: "json_object" } };
  const { type: _type, ...jsonSchema } = format;
  return { responseFormat: { type: "json_schema", json_schema: jsonSchema } };
}
