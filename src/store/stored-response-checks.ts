/**
 * The checks a stored Response object and its input items pass on every read, in every adapter
 * ([ADR 0018](../../docs/decisions/0018-stored-rows-checked-on-read.md)). They are structural: the
 * fields the store and the engine rely on (ids, the row's own key, status, the output list), not the
 * whole Response shape, which the `openai` wire-type check already pins at compile time on write.
 */
import * as z from "zod";
import type {
  ConversationItem,
  ResponseObject,
  ResponseStatus,
} from "../responses/response-types.js";
import type { ResponseEvent } from "../responses/response-events.js";
import { readStoredJson, type StoredValueCheck } from "./read-stored-json.js";

const ResponseStatusSchema = z.enum([
  "completed",
  "failed",
  "in_progress",
  "cancelled",
  "queued",
  "incomplete",
]);

const StoredItemSchema = z.looseObject({ id: z.string(), type: z.string().min(1) });

const StoredResponseSchema = z.looseObject({
  id: z.string(),
  object: z.literal("response"),
  status: ResponseStatusSchema,
  previous_response_id: z.string().nullable(),
  output: z.array(StoredItemSchema),
});

/** How an adapter stores a key in a column (PostgreSQL text cannot hold U+0000). */
export type KeyColumn = (key: string) => string;

const asIs: KeyColumn = (key) => key;

/** The Response stored under `id`: it must be a Response and name that same id. */
export function storedResponseCheck(
  id: string,
  keyColumn: KeyColumn = asIs,
): StoredValueCheck<ResponseObject> {
  return (json) => {
    const response = StoredResponseSchema.parse(json);
    if (keyColumn(response.id) !== id) {
      throw new Error(`the row of '${id}' holds response '${response.id}'`);
    }
    return json as ResponseObject;
  };
}

/** An input item stored under `itemId`: it must have a type and that same id. */
export function storedItemCheck(
  itemId: string,
  keyColumn: KeyColumn = asIs,
): StoredValueCheck<ConversationItem> {
  return (json) => {
    const item = StoredItemSchema.parse(json);
    if (keyColumn(item.id) !== itemId) {
      throw new Error(`the row of item '${itemId}' holds item '${item.id}'`);
    }
    return json as ConversationItem;
  };
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<Condition extends true> = Condition;
type _StatusMatches = Assert<Same<z.output<typeof ResponseStatusSchema>, ResponseStatus>>;

const StoredEventSchema = z.looseObject({ type: z.string().min(1), sequence_number: z.number() });

/** Reads back event `sequenceNumber` of `responseId` as stored by either adapter. */
export function readStoredEvent(
  responseId: string,
  row: { sequenceNumber: number; body: string },
): ResponseEvent {
  return readStoredJson(
    "response_events",
    `${responseId}#${row.sequenceNumber}`,
    row.body,
    storedEventCheck(row.sequenceNumber),
  );
}

/** A stored event: an event object with the sequence number of its row. */
function storedEventCheck(sequenceNumber: number): StoredValueCheck<ResponseEvent> {
  return (json) => {
    const event = StoredEventSchema.parse(json);
    if (event.sequence_number !== sequenceNumber) {
      throw new Error(`the row of event ${sequenceNumber} holds event ${event.sequence_number}`);
    }
    return json as ResponseEvent;
  };
}
