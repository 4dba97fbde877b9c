/**
 * The context port (issue 12 §4 "Context"): what comes before a request's input, the
 * `previous_response_id` chain or a conversation's items, and where a finished turn of a
 * conversation goes. `prepareResponse` asks it instead of walking the store itself, so the
 * context kinds live behind one seam (`StoreContextSource` is the adapter over the store ports).
 */
import type { CreateResponseRequest } from "./create-response-request.js";
import type { ConversationItem } from "./response-types.js";
import type { Principal } from "./principal.js";

export type ContextReference =
  { kind: "previous_response"; id: string } | { kind: "conversation"; id: string };

export interface ContextSource {
  /**
   * The items before the input, oldest first, each as it was stored (ids keep their turn tokens,
   * ADR 0014). Throws a 404 `ApiError` naming the parameter when the reference is unknown or
   * belongs to someone else.
   */
  load(reference: ContextReference, principal: Principal): Promise<ConversationItem[]>;
  /**
   * Appends one finished turn (its input, then its output) to a conversation as one block;
   * false when the conversation was deleted meanwhile (nothing is written).
   */
  appendTurn(conversationId: string, items: readonly ConversationItem[]): Promise<boolean>;
}

/** Where a request's context comes from: `conversation` (a string or `{id}`) or the chain. */
export function contextReference(request: CreateResponseRequest): ContextReference | null {
  const conversation = request.conversation;
  if (conversation) {
    const id = typeof conversation === "string" ? conversation : conversation.id;
    return { kind: "conversation", id };
  }
  if (request.previous_response_id) {
    return { kind: "previous_response", id: request.previous_response_id };
  }
  return null;
}
