/**
 * Compile-time check of our wire types against the official `openai` package (STYLE.md
 * "Validation"): `npm run typecheck` fails when a Response, item or stream event we emit stops
 * being assignable to OpenAI's type. Nothing here runs.
 */
import type OpenAI from "openai";
import type { z } from "zod";
import type { ReasoningItemSchema } from "../../src/responses/input-item-schema.js";
import type {
  ConversationDeleted,
  ConversationItemList,
  ConversationObject,
} from "../../src/conversations/conversation-types.js";
import type { ModelObject } from "../../src/inference/model-catalog.js";
import type { ResponseEvent } from "../../src/responses/response-events.js";
import type {
  ConversationItem,
  OutputItem,
  ReasoningItem,
  ResponseObject,
} from "../../src/responses/response-types.js";

type Assert<T extends true> = T;
type IsAssignable<From, To> = [From] extends [To] ? true : false;

/**
 * Known, documented differences: `output_text` is SDK-only (the API does not send it);
 * `access_programs` is a newer optional-in-practice field; OpenAI sends `usage:null` and `user:null`
 * while the SDK types omit null. Those keys are checked separately below.
 */
type SdkResponse = OpenAI.Responses.Response;
type ComparableSdkResponse = Omit<
  SdkResponse,
  "output_text" | "access_programs" | "usage" | "user"
>;
/**
 * `connector_id` is an 8-value enum in OpenAI's types; Patchbay accepts any admin-defined id
 * (PRODUCT.md §4). `server_description` is `string | undefined` in the SDK types but the live API
 * echoes `null` (reference §1 "Echo", recorded payloads). Both are compared without those keys.
 */
type OurTool = ResponseObject["tools"][number];
type ComparableTool = OurTool extends infer T
  ? T extends { type: "mcp" }
    ? Omit<T, "connector_id" | "server_description">
    : T
  : never;
type ComparableOurResponse = Omit<ResponseObject, "usage" | "user" | "tools"> & {
  tools: ComparableTool[];
};

export type ResponseIsCompatible = Assert<
  IsAssignable<ComparableOurResponse, ComparableSdkResponse>
>;
export type UsageIsCompatible = Assert<
  IsAssignable<NonNullable<ResponseObject["usage"]>, NonNullable<SdkResponse["usage"]>>
>;
export type UserIsCompatible = Assert<
  IsAssignable<NonNullable<ResponseObject["user"]>, NonNullable<SdkResponse["user"]>>
>;

export type OutputItemsAreCompatible = Assert<
  IsAssignable<OutputItem, OpenAI.Responses.ResponseOutputItem>
>;
export type StoredItemsAreCompatible = Assert<
  IsAssignable<ConversationItem, OpenAI.Responses.ResponseItem>
>;

/** Every event we emit, with its `response` payload compared on the comparable keys. */
type WithComparableResponse<E> = E extends { response: ResponseObject }
  ? Omit<E, "response"> & { response: ComparableOurResponse }
  : E;
type SdkEventWithComparableResponse<E> = E extends { response: SdkResponse }
  ? Omit<E, "response"> & { response: ComparableSdkResponse }
  : E;
type OurEventsComparable = WithComparableResponse<ResponseEvent>;
type SdkEventsComparable = SdkEventWithComparableResponse<OpenAI.Responses.ResponseStreamEvent>;

export type EventsAreCompatible = Assert<IsAssignable<OurEventsComparable, SdkEventsComparable>>;

/** Each event type we emit exists in OpenAI's union (no invented names, STYLE.md "Naming"). */
export type EventNamesExist = Assert<
  IsAssignable<ResponseEvent["type"], OpenAI.Responses.ResponseStreamEvent["type"]>
>;

/**
 * Reasoning (ADR 0020), named on its own so that it stays checked even if it left the unions:
 * the item, its text events and its content parts are OpenAI's, and a reasoning item the `openai`
 * types let a client send back passes our input schema's types.
 */
type OurEvent<Type extends ResponseEvent["type"]> = Extract<ResponseEvent, { type: Type }>;
type OurReasoningPartEvent<Type extends ResponseEvent["type"]> = OurEvent<Type> & {
  part: { type: "reasoning_text" };
};

export type ReasoningItemIsCompatible = Assert<
  IsAssignable<ReasoningItem, OpenAI.Responses.ResponseReasoningItem>
>;
export type ReasoningTextDeltaIsCompatible = Assert<
  IsAssignable<
    OurEvent<"response.reasoning_text.delta">,
    OpenAI.Responses.ResponseReasoningTextDeltaEvent
  >
>;
export type ReasoningTextDoneIsCompatible = Assert<
  IsAssignable<
    OurEvent<"response.reasoning_text.done">,
    OpenAI.Responses.ResponseReasoningTextDoneEvent
  >
>;
export type ReasoningPartAddedIsCompatible = Assert<
  IsAssignable<
    OurReasoningPartEvent<"response.content_part.added">,
    OpenAI.Responses.ResponseContentPartAddedEvent
  >
>;
export type ReasoningPartDoneIsCompatible = Assert<
  IsAssignable<
    OurReasoningPartEvent<"response.content_part.done">,
    OpenAI.Responses.ResponseContentPartDoneEvent
  >
>;
export type SentBackReasoningIsAccepted = Assert<
  IsAssignable<OpenAI.Responses.ResponseReasoningItem, z.input<typeof ReasoningItemSchema>>
>;
/** The Conversations API (issue 14 §1): the object, its deletion, its items and item pages. */
export type ConversationIsCompatible = Assert<
  IsAssignable<ConversationObject, OpenAI.Conversations.Conversation>
>;
export type ConversationDeletedIsCompatible = Assert<
  IsAssignable<ConversationDeleted, OpenAI.Conversations.ConversationDeletedResource>
>;
export type ConversationItemsAreCompatible = Assert<
  IsAssignable<ConversationItem, OpenAI.Conversations.ConversationItem>
>;
/**
 * `first_id`/`last_id` are `string` in the SDK type but null on an empty page (OpenAI's own list
 * pages send null there; the SDK reads them with `|| ''`): compared without them, then as nullable.
 */
type SdkItemList = OpenAI.Conversations.ConversationItemList;
export type ConversationItemListIsCompatible = Assert<
  IsAssignable<
    Omit<ConversationItemList, "first_id" | "last_id">,
    Omit<SdkItemList, "first_id" | "last_id">
  >
>;
export type ConversationItemListIdsAreCompatible = Assert<
  IsAssignable<NonNullable<ConversationItemList["first_id"]>, SdkItemList["first_id"]>
>;

/** `GET /v1/models` (issue 14 §4). */
export type ModelIsCompatible = Assert<IsAssignable<ModelObject, OpenAI.Models.Model>>;
