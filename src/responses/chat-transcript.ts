/**
 * Writes Chat Completions messages one item at a time, gathering each model turn as the model made
 * it (ADR 0014; issue 11 §1): one assistant message with the turn's text and every tool call of
 * that turn, then the calls' results, then the next turn. A model that is shown two dependent
 * calls as one message believes it made them at once, before it saw the first result.
 *
 * Which turn an item belongs to:
 * - Items whose ids carry a turn token (`turnOf`) join the open turn when it has the same token.
 * - Items without one (written by another client) follow Chat Completions' own order: reasoning
 *   or an assistant message starts a turn (a message joins a turn that holds only reasoning); a
 *   tool call joins the open tokenless turn until a result has arrived in it, so calls sent back
 *   before their outputs stay together. An `mcp_call` carries its result, so tokenless ones are
 *   a turn each.
 *
 * Reasoning is written on its turn's message (`reasoning`) only for turns after the last user
 * message: the model's current task (ADR 0020). Earlier turns' reasoning is left out, as OpenAI
 * does for its reasoning models and as the chat templates of Qwen3, DeepSeek-R1 and gpt-oss do.
 */
import type { ChatMessage, ChatToolCall } from "../inference/chat-model.js";

type ToolMessage = Extract<ChatMessage, { role: "tool" }>;

/** One assistant turn: its reasoning, its text, its tool calls, then their results. */
interface AssistantTurn {
  /** The turn token its items' ids carry; null for items written without one. */
  token: string | null;
  reasoning: string | null;
  content: string | null;
  toolCalls: ChatToolCall[];
  results: ToolMessage[];
}

export class ChatTranscript {
  private readonly messages: ChatMessage[] = [];
  private open: AssistantTurn | null = null;
  /** Where the last user message stands in `messages` (-1 before one). */
  private lastUser = -1;

  /** A message outside any assistant turn (user, system): it ends the open turn. */
  add(message: ChatMessage): void {
    this.closeTurn();
    if (message.role === "user") this.lastUser = this.messages.length;
    this.messages.push(message);
  }

  /** A turn's reasoning, which opens it; several reasonings of one turn are joined by a line. */
  addReasoning(token: string | null, text: string): void {
    const turn = this.turnFor(token, (open) => token !== null && open.token === token);
    turn.reasoning = turn.reasoning === null ? text : `${turn.reasoning}\n${text}`;
  }

  /** Assistant text; several texts of one turn are joined in order. */
  addText(token: string | null, text: string): void {
    const turn = this.turnFor(token, (open) =>
      token === null ? open.token === null && onlyReasoning(open) : open.token === token,
    );
    turn.content = (turn.content ?? "") + text;
  }

  /** A tool call, with its result when the item carries it (`mcp_call`). */
  addCall(token: string | null, call: ChatToolCall, result?: string): void {
    const turn = this.turnFor(token, (open) =>
      token === null ? open.token === null && open.results.length === 0 : open.token === token,
    );
    turn.toolCalls.push(call);
    if (result !== undefined) turn.results.push(toolMessage(call.id, result));
  }

  /**
   * The result of a call made earlier (`function_call_output`). When that call is not in the open
   * turn, the result stays where it stands, ahead of the open turn's message.
   */
  addResult(callId: string, content: string): void {
    const message = toolMessage(callId, content);
    if (this.open?.toolCalls.some((call) => call.id === callId)) this.open.results.push(message);
    else this.messages.push(message);
  }

  finish(): ChatMessage[] {
    this.closeTurn();
    for (let index = 0; index < this.lastUser; index++) {
      const message = this.messages[index];
      if (message?.role !== "assistant" || message.reasoning === undefined) continue;
      const { reasoning: _earlierTask, ...rest } = message;
      this.messages[index] = rest;
    }
    return this.messages;
  }

  private turnFor(token: string | null, continues: (open: AssistantTurn) => boolean) {
    if (this.open && continues(this.open)) return this.open;
    this.closeTurn();
    this.open = { token, reasoning: null, content: null, toolCalls: [], results: [] };
    return this.open;
  }

  private closeTurn(): void {
    const turn = this.open;
    if (!turn) return;
    this.open = null;
    // Reasoning alone (a turn cut short, or waiting on an approval) is not something the model said.
    if (turn.content === null && turn.toolCalls.length === 0) return;
    this.messages.push(
      {
        role: "assistant",
        content: turn.content,
        ...(turn.toolCalls.length > 0 ? { tool_calls: turn.toolCalls } : {}),
        ...(turn.reasoning !== null ? { reasoning: turn.reasoning } : {}),
      },
      ...turn.results,
    );
  }
}

function onlyReasoning(turn: AssistantTurn): boolean {
  return turn.reasoning !== null && turn.content === null && turn.toolCalls.length === 0;
}

function toolMessage(callId: string, content: string): ToolMessage {
  return { role: "tool", tool_call_id: callId, content };
}
