/**
 * Request and timing helpers shared by the fault-injection tests: every fault has a defined
 * outcome *and* a deadline (PRODUCT.md §3, §8.5, §8.15, §8.16), so each helper reports how long
 * the outcome took to arrive.
 */
import { expect } from "vitest";
import { expectWellFormedStream, readSse, type SseEvent } from "../support/collect-events.js";

export type ResponseEventData = SseEvent["data"];

export interface McpToolTarget {
  server_url?: string;
  connector_id?: string;
  authorization?: string;
}

/** An `mcp` tool that never asks for approval (the faults are the subject, not approvals). */
export function mcpTool(serverLabel: string, target: McpToolTarget): Record<string, unknown> {
  return { type: "mcp", server_label: serverLabel, require_approval: "never", ...target };
}

/** Awaits `promise` and measures it. */
export async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await promise;
  return { value, ms: performance.now() - started };
}

/** True when `promise` settles within `ms`: a bound on an event wait, not a sleep. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** `POST /v1/responses` with the given body, as raw `fetch` (status and headers matter here). */
export function postResponse(
  baseURL: string,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${baseURL}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
}

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Reads an error answer, checking it is JSON (no stream was opened) in the OpenAI envelope. */
export async function readError(response: Response): Promise<ErrorBody> {
  expect(response.headers.get("content-type")).toContain("application/json");
  const body = (await response.json()) as ErrorBody;
  expect(Object.keys(body.error).sort()).toEqual(["code", "message", "param", "type"]);
  return body;
}

/** Reads a whole stream, checks the invariants every stream keeps, returns the event bodies. */
export async function readStream(response: Response): Promise<ResponseEventData[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const events = (await readSse(response)).map((frame) => frame.data);
  expectWellFormedStream(events);
  return events;
}

/**
 * Reads a streamed body until its text so far matches `pattern` and returns the match; the rest
 * stays unread (the caller goes away next).
 */
export async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  pattern: RegExp,
): Promise<RegExpExecArray> {
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const match = pattern.exec(text);
    if (match) return match;
    const { done, value } = await reader.read();
    if (done) throw new Error(`stream ended before ${String(pattern)}`);
    text += decoder.decode(value, { stream: true });
  }
}

/** The `response` object carried by a terminal event. */
export function terminalResponse(events: readonly ResponseEventData[]): Record<string, unknown> {
  const last = events.at(-1);
  const response = last?.response;
  if (typeof response !== "object" || response === null) throw new Error("no terminal response");
  return response as Record<string, unknown>;
}

/** The output items (`type` and the rest) of a Response object. */
export function outputOf(response: Record<string, unknown>): Array<Record<string, unknown>> {
  const output = response.output;
  if (!Array.isArray(output)) throw new Error("response has no output array");
  return output as Array<Record<string, unknown>>;
}
