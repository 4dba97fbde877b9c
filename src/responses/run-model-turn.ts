/**
 * One model call: renders the context as chat messages, streams reasoning into a reasoning item
 * and text into an assistant message item, and returns the tool calls the model made (assembled
 * by the inference adapter) with the turn token that every item of this turn carries in its id
 * (ADR 0014, ADR 0020).
 */
import type { ChatModel, ChatRequest } from "../inference/chat-model.js";
import type { ResponseEventBody } from "./response-events.js";
import type { ResponseBuilder } from "./response-builder.js";
import type { ConversationItem } from "./response-types.js";
import type { McpToolset } from "./mcp-toolset.js";
import { newId, newTurnToken } from "./ids.js";
import { toChatMessages } from "./to-chat-messages.js";

export interface ModelToolCall {
  /** The model's call id (`call_id` of a function call). */
  id: string;
  /** The output item id this call gets if it becomes a `function_call`. */
  itemId: string;
  name: string;
  arguments: string;
}

export interface TurnContext {
  builder: ResponseBuilder;
  /** Appended to: the reasoning and assistant message of this turn, if any. */
  context: ConversationItem[];
  chatModel: ChatModel;
  instructions: string | null;
  mcp: McpToolset | null;
  signal: AbortSignal;
}

export interface ModelTurnResult {
  finishReason: string;
  toolCalls: ModelToolCall[];
  /** Shared by the ids of this turn's items: give it to the calls' items (`newId`). */
  turnToken: string;
}

export async function* runModelTurn(
  request: Omit<ChatRequest, "messages">,
  turn: TurnContext,
): AsyncGenerator<ResponseEventBody, ModelTurnResult> {
  const functionName = (label: string, name: string) =>
    turn.mcp?.names.functionName(label, name) ?? `${label}__${name}`;
  const messages = toChatMessages(turn.instructions, turn.context, functionName);
  const toolCalls: ModelToolCall[] = [];
  const turnToken = newTurnToken();
  let finishReason = "stop";
  const outputBefore = turn.builder.outputItems.length;
  for await (const event of turn.chatModel.stream({ ...request, messages }, turn.signal)) {
    switch (event.type) {
      case "reasoning":
        if (event.delta) yield* turn.builder.appendText("reasoning_text", event.delta, turnToken);
        break;
      case "text":
        if (event.delta) yield* turn.builder.appendText("output_text", event.delta, turnToken);
        break;
      case "refusal":
        if (event.delta) yield* turn.builder.appendText("refusal", event.delta, turnToken);
        break;
      case "tool_call":
        toolCalls.push({
          id: event.id,
          itemId: newId("fc", turnToken),
          name: event.name,
          arguments: event.arguments,
        });
        break;
      case "finish":
        turn.builder.addUsage(event.usage);
        finishReason = event.finishReason;
        break;
    }
  }
  yield* turn.builder.closeOpen(finishReason === "length" ? "incomplete" : "completed");
  turn.context.push(...turn.builder.outputItems.slice(outputBefore));
  return { finishReason, toolCalls, turnToken };
}
