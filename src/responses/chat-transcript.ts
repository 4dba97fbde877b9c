/**
 * Writes Chat Completions messages one item at a time, gathering each model turn as the model made
 * it (ADR 0014; issue 11 §1): one assistant message with the turn's text and every tool call of
 * that turn, then the calls' results, then the next turn. A model that is shown two dependent
 * calls as one message believes it made them at once, before it saw the first result.
 *
 * Which turn an item belongs to:
 * - Items whose ids carry a turn token (`turnOf`) join the open turn when it has the same token.
 * - Items without one (written by another client) follow Chat Completions' own order: an
 *   assistant message starts a turn; a tool call joins the open tokenless turn until a result has
 *   arrived in it, so calls sent back before their outputs stay together. An `mcp_call` carries
 *   its result, so tokenless ones are a turn each.
 */
import type { ChatMessage, ChatToolCall } from "../inference/chat-model.js";

type ToolMessage = Extract<ChatMessage, { role: "tool" }>;

/** One assistant turn: its text (and, later, its reasoning), its tool calls, then their results. */
interface AssistantTurn {
  /** The turn token its items' ids carry; null for items written without one. */
  token: string | null;
  content: string | null;
  toolCalls: ChatToolCall[];
  results: ToolMessage[];
}

export class ChatTranscript {
  private readonly messages: ChatMessage[] = [];
  private open: AssistantTurn | null = null;

  /** A message outside any assistant turn (user, system): it ends the open turn. */
  add(message: ChatMessage): void {
    this.closeTurn();
    this.messages.push(message);
  }

  /** Assistant text; several texts of one turn are joined in order. */
  addText(token: string | null, text: string): void {
    const turn = this.turnFor(token, (open) => token !== null && open.token === token);
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
    return this.messages;
  }

  private turnFor(token: string | null, continues: (open: AssistantTurn) => boolean) {
    if (this.open && continues(this.open)) return this.open;
    this.closeTurn();
    this.open = { token, content: null, toolCalls: [], results: [] };
    return this.open;
  }

  private closeTurn(): void {
    const turn = this.open;
    if (!turn) return;
    this.open = null;
    this.messages.push(
      turn.toolCalls.length > 0
        ? { role: "assistant", content: turn.content, tool_calls: turn.toolCalls }
        : { role: "assistant", content: turn.content },
      ...turn.results,
    );
  }
}

function toolMessage(callId: string, content: string): ToolMessage {
  return { role: "tool", tool_call_id: callId, content };
}
