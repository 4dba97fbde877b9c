/**
 * `ContextSource` over the store ports: a `previous_response_id` chain read with one
 * `ResponseStore.getChain` call, a conversation's items from the `ConversationStore`
 * (issue 12 §4, issue 14 §1).
 */
import { notFound } from "../errors/not-found-error.js";
import type { ConversationStore } from "../store/conversation-store.js";
import type { ResponseStore } from "../store/response-store.js";
import type { ContextReference, ContextSource } from "./context-source.js";
import { mayAccess, type Principal } from "./principal.js";
import type { ConversationItem } from "./response-types.js";

export class StoreContextSource implements ContextSource {
  constructor(
    private readonly stores: { responses: ResponseStore; conversations: ConversationStore },
  ) {}

  async load(reference: ContextReference, principal: Principal): Promise<ConversationItem[]> {
    switch (reference.kind) {
      case "previous_response":
        return this.#chain(reference.id, principal);
      case "conversation":
        return this.#conversation(reference.id, principal);
    }
  }

  async appendTurn(conversationId: string, items: readonly ConversationItem[]): Promise<boolean> {
    return this.stores.conversations.appendItems(conversationId, items);
  }

  /** Every response of the chain, oldest first: each one's input, then its output. */
  async #chain(responseId: string, principal: Principal): Promise<ConversationItem[]> {
    const chain = await this.stores.responses.getChain(responseId);
    const head = chain[0];
    if (!head || !mayAccess(principal, head.owner)) {
      throw notFound("Previous response", responseId, "previous_response_id");
    }
    const missing = chain.at(-1)?.response.previous_response_id;
    if (missing) throw notFound("Previous response", missing, "previous_response_id");
    return chain.reverse().flatMap((stored) => [...stored.inputItems, ...stored.response.output]);
  }

  async #conversation(id: string, principal: Principal): Promise<ConversationItem[]> {
    const conversation = await this.stores.conversations.get(id);
    const items =
      conversation && mayAccess(principal, conversation.owner)
        ? await this.stores.conversations.allItems(id)
        : null;
    if (!items) throw notFound("Conversation", id, "conversation");
    return items;
  }
}
