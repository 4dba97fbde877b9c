/**
 * Wire types of the Conversations API as Patchbay answers them, in OpenAI's spelling;
 * `test/types/openai-compat.ts` checks them against the `openai` package at compile time.
 */
import type { ConversationItem } from "../responses/response-types.js";

export interface ConversationObject {
  id: string;
  object: "conversation";
  /** Unix seconds. */
  created_at: number;
  metadata: Record<string, string>;
}

export interface ConversationDeleted {
  id: string;
  object: "conversation.deleted";
  deleted: true;
}

/** OpenAI's `ConversationItemList`; `first_id`/`last_id` are null on an empty page. */
export interface ConversationItemList {
  object: "list";
  data: ConversationItem[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}
