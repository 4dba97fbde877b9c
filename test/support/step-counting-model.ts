/**
 * A careful model for the scripted model server (issue 11 §1): like a model told "return only one
 * tool call per step", it decides its next step from how many tool turns it has already made
 * since the user's last message (assistant messages with `tool_calls`), not only from the results
 * it was sent. Given a history that merges two turns into one assistant message, it repeats a
 * step, as real step-counting models do. It also refuses (answers 500) a history that breaks Chat
 * Completions' rule that a tool result follows the assistant message that made the call.
 */
import { z } from "zod";
import type { ScriptedStep } from "./scripted-model-server.js";

export interface PlannedCall {
  /** The function name the model calls. */
  name: string;
  /** Arguments, from the results of the earlier steps (oldest first). */
  arguments: (results: readonly string[]) => Record<string, unknown>;
}

export interface StepPlan {
  steps: readonly PlannedCall[];
  /** The final answer, from every step's result. */
  answer: (results: readonly string[]) => string;
}

const ChatMessageSchema = z.looseObject({
  role: z.string(),
  content: z.unknown(),
  tool_calls: z
    .array(z.looseObject({ id: z.string(), function: z.looseObject({ name: z.string() }) }))
    .nullish(),
  tool_call_id: z.string().nullish(),
});
const ChatBodySchema = z.looseObject({ messages: z.array(ChatMessageSchema) });
type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** What the model has done since the user's last message. */
export interface StepHistory {
  /** One entry per assistant message with tool calls: the names it called. */
  toolTurns: string[][];
  /** Every tool result, in order. */
  results: string[];
}

/** Reads a Chat Completions request as the careful model does; throws on an ill-formed history. */
export function readStepHistory(body: Record<string, unknown>): StepHistory {
  const { messages } = ChatBodySchema.parse(body);
  checkToolResultsFollowTheirCalls(messages);
  const lastUser = messages.findLastIndex((message) => message.role === "user");
  const since = messages.slice(lastUser + 1);
  return {
    toolTurns: since.flatMap((message) =>
      message.role === "assistant" && message.tool_calls?.length
        ? [message.tool_calls.map((call) => call.function.name)]
        : [],
    ),
    results: since.flatMap((message) =>
      message.role === "tool" ? [typeof message.content === "string" ? message.content : ""] : [],
    ),
  };
}

/** A script entry that plays `plan` one step per tool turn (use as an entry or a `fallback`). */
export function stepCountingModel(
  plan: StepPlan | ((body: Record<string, unknown>) => StepPlan),
): (body: Record<string, unknown>) => ScriptedStep {
  return (body) => {
    const chosen = typeof plan === "function" ? plan(body) : plan;
    const { toolTurns, results } = readStepHistory(body);
    const next = chosen.steps[toolTurns.length];
    if (!next) return { text: chosen.answer(results), chunks: 3 };
    return {
      toolCalls: [{ name: next.name, arguments: JSON.stringify(next.arguments(results)) }],
    };
  };
}

/** The text of the user's last message: what a careful model plans from. */
export function lastUserText(body: Record<string, unknown>): string {
  const { messages } = ChatBodySchema.parse(body);
  const content = messages.findLast((message) => message.role === "user")?.content;
  return typeof content === "string" ? content : "";
}

/**
 * OpenAI rejects a `tool` message that does not answer a call of the assistant message before it
 * (only other tool messages may stand between them); so does this model.
 */
function checkToolResultsFollowTheirCalls(messages: readonly ChatMessage[]): void {
  let open = new Set<string>();
  for (const [index, message] of messages.entries()) {
    if (message.role === "tool") {
      if (!message.tool_call_id || !open.has(message.tool_call_id))
        throw new Error(`messages[${index}]: tool result does not follow its call`);
      open.delete(message.tool_call_id);
      continue;
    }
    if (open.size > 0) throw new Error(`messages[${index}]: calls ${[...open].join()} unanswered`);
    open = new Set(message.tool_calls?.map((call) => call.id) ?? []);
  }
}
