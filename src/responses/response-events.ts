/**
 * Streaming events, named exactly as OpenAI names them (reference openai-responses-mcp.md §3).
 * `runResponse` yields these without `sequence_number`; the numbering is added in one place
 * (`numberEvents`) so it is contiguous from 0 whatever path produced the events (PRODUCT.md §8.17).
 */
import type { OutputContent, OutputItem, ReasoningText, ResponseObject } from "./response-types.js";

interface ItemRef {
  item_id: string;
  output_index: number;
}
interface PartRef extends ItemRef {
  content_index: number;
}

export type ResponseEventBody =
  | { type: "response.created"; response: ResponseObject }
  | { type: "response.in_progress"; response: ResponseObject }
  | { type: "response.queued"; response: ResponseObject }
  | { type: "response.completed"; response: ResponseObject }
  | { type: "response.failed"; response: ResponseObject }
  | { type: "response.incomplete"; response: ResponseObject }
  | { type: "response.output_item.added"; output_index: number; item: OutputItem }
  | { type: "response.output_item.done"; output_index: number; item: OutputItem }
  | ({ type: "response.content_part.added"; part: OutputContent | ReasoningText } & PartRef)
  | ({ type: "response.content_part.done"; part: OutputContent | ReasoningText } & PartRef)
  | ({ type: "response.reasoning_text.delta"; delta: string } & PartRef)
  | ({ type: "response.reasoning_text.done"; text: string } & PartRef)
  | ({
      type: "response.output_text.delta";
      delta: string;
      logprobs: never[];
      obfuscation?: string;
    } & PartRef)
  | ({ type: "response.output_text.done"; text: string; logprobs: never[] } & PartRef)
  | ({ type: "response.refusal.delta"; delta: string } & PartRef)
  | ({ type: "response.refusal.done"; refusal: string } & PartRef)
  | ({
      type: "response.function_call_arguments.delta";
      delta: string;
      obfuscation?: string;
    } & ItemRef)
  | ({ type: "response.function_call_arguments.done"; arguments: string } & ItemRef)
  | ({ type: "response.mcp_list_tools.in_progress" } & ItemRef)
  | ({ type: "response.mcp_list_tools.completed" } & ItemRef)
  | ({ type: "response.mcp_list_tools.failed" } & ItemRef)
  | ({ type: "response.mcp_call.in_progress" } & ItemRef)
  | ({ type: "response.mcp_call.completed" } & ItemRef)
  | ({ type: "response.mcp_call.failed" } & ItemRef)
  | ({ type: "response.mcp_call_arguments.delta"; delta: string; obfuscation?: string } & ItemRef)
  | ({ type: "response.mcp_call_arguments.done"; arguments: string } & ItemRef);

export type ResponseEvent = ResponseEventBody & { sequence_number: number };

export type ResponseEventType = ResponseEventBody["type"];

export const TERMINAL_EVENT_TYPES: ReadonlySet<ResponseEventType> = new Set([
  "response.completed",
  "response.failed",
  "response.incomplete",
]);
