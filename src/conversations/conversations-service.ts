/**
 * The Conversations API as operations, independent of HTTP (issue 14 §1; reference
 * openai-responses-mcp.md §4.3): create with up to 20 items, retrieve, update metadata, delete,
 * and add, list, get and delete items. Items are the `ConversationItem`s responses use, converted
 * from input items exactly as `POST /v1/responses` converts its `input` (items keep their ids; one
 * without gets a fresh one). A user key sees only its own conversations, as if others' did not
 * exist (PRODUCT.md §9.3).
 */
import { notFound } from "../errors/not-found-error.js";
import { newId } from "../responses/ids.js";
import type { InputItem } from "../responses/input-item-schema.js";
import { mayAccess, type Principal } from "../responses/principal.js";
import type { ConversationItem } from "../responses/response-types.js";
import { toConversationItems } from "../responses/to-conversation-items.js";
import type { ConversationStore, StoredConversation } from "../store/conversation-store.js";
import type { ItemPage, ListItemsQuery } from "../store/response-store.js";
import type { CreateConversationRequest } from "./conversation-schemas.js";
import type { ConversationDeleted, ConversationObject } from "./conversation-types.js";

export interface ConversationsServiceDeps {
  store: ConversationStore;
  /** Unix seconds. */
  now: () => number;
}

export class ConversationsService {
  constructor(private readonly deps: ConversationsServiceDeps) {}

  async create(
    request: CreateConversationRequest,
    principal: Principal,
  ): Promise<ConversationObject> {
    const conversation: StoredConversation = {
      id: newId("conv"),
      createdAt: this.deps.now(),
      metadata: request.metadata ?? {},
      owner: principal.owner,
    };
    await this.deps.store.create(conversation, toConversationItems(request.items ?? []));
    return toConversationObject(conversation);
  }

  async retrieve(id: string, principal: Principal): Promise<ConversationObject> {
    return toConversationObject(await this.#visible(id, principal));
  }

  /** Replaces the metadata (`null` clears it). */
  async update(
    id: string,
    metadata: Record<string, string> | null,
    principal: Principal,
  ): Promise<ConversationObject> {
    await this.#visible(id, principal);
    const updated = await this.deps.store.updateMetadata(id, metadata ?? {});
    if (!updated) throw conversationNotFound(id);
    return toConversationObject(updated);
  }

  async delete(id: string, principal: Principal): Promise<ConversationDeleted> {
    await this.#visible(id, principal);
    if (!(await this.deps.store.delete(id))) throw conversationNotFound(id);
    return { id, object: "conversation.deleted", deleted: true };
  }

  /** Appends the items as one block and returns them as stored (with ids). */
  async addItems(
    id: string,
    items: InputItem[],
    principal: Principal,
  ): Promise<ConversationItem[]> {
    await this.#visible(id, principal);
    const added = toConversationItems(items);
    if (!(await this.deps.store.appendItems(id, added))) throw conversationNotFound(id);
    return added;
  }

  async listItems(id: string, query: ListItemsQuery, principal: Principal): Promise<ItemPage> {
    await this.#visible(id, principal);
    const page = await this.deps.store.listItems(id, query);
    if (!page) throw conversationNotFound(id);
    return page;
  }

  async getItem(id: string, itemId: string, principal: Principal): Promise<ConversationItem> {
    await this.#visible(id, principal);
    const item = await this.deps.store.getItem(id, itemId);
    if (item === undefined) throw conversationNotFound(id);
    if (item === null) throw notFound("Item", itemId, "item_id");
    return item;
  }

  /** Deletes the item and returns the conversation, as OpenAI does. */
  async deleteItem(id: string, itemId: string, principal: Principal): Promise<ConversationObject> {
    const conversation = await this.#visible(id, principal);
    const deleted = await this.deps.store.deleteItem(id, itemId);
    if (deleted === undefined) throw conversationNotFound(id);
    if (!deleted) throw notFound("Item", itemId, "item_id");
    return toConversationObject(conversation);
  }

  /** The conversation, or the same 404 for a missing one and someone else's. */
  async #visible(id: string, principal: Principal): Promise<StoredConversation> {
    const conversation = await this.deps.store.get(id);
    if (!conversation || !mayAccess(principal, conversation.owner)) throw conversationNotFound(id);
    return conversation;
  }
}

function conversationNotFound(id: string) {
  return notFound("Conversation", id, "conversation_id");
}

function toConversationObject(conversation: StoredConversation): ConversationObject {
  return {
    id: conversation.id,
    object: "conversation",
    created_at: conversation.createdAt,
    metadata: conversation.metadata,
  };
}
