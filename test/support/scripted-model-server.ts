/**
 * A real Chat Completions server on `127.0.0.1:0` that answers from a FIFO script (STYLE.md
 * "Tests: real peers"): JSON for `stream:false`, SSE chunks otherwise, plus failures (errors, hangs,
 * dropped and stalled streams). An empty script answers 500 so a test notices the extra request.
 */
import { EventEmitter } from "node:events";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import {
  ChatCompletionWire,
  type ScriptedReasoning,
  type ScriptedToolCall,
  type ScriptedTurnOptions,
  type ScriptedUsage,
} from "./chat-completion-wire.js";
import { listenOnLoopback } from "./listen-on-loopback.js";
import { sendJson, sendText } from "./send-fixture-response.js";
import { waitForChange } from "./wait-for-change.js";

export type { ScriptedReasoning, ScriptedToolCall, ScriptedTurnOptions, ScriptedUsage };

/** One scripted answer; each request consumes the next step. */
export type ScriptedStep =
  | { error: { status: number; body?: unknown; headers?: Record<string, string> } }
  /** Never answers; held until the client disconnects or the server closes. */
  | { hang: true }
  /** Raw SSE `data:` payloads (objects are JSON-encoded); no automatic `[DONE]`. */
  | { sse: (string | object)[]; delayMs?: number }
  /** Sends the role chunk and `n` text chunks, then destroys the socket without `[DONE]`. */
  | { dropAfterChunks: number; text: string; chunks?: number; delayMs?: number }
  /** Sends the role chunk and `n` text chunks, then goes silent (held like `hang`). */
  | { stallAfterChunks: number; text: string; chunks?: number }
  | ({
      toolCalls: ScriptedToolCall[];
      splitArguments?: boolean;
      text?: string;
    } & ScriptedTurnOptions)
  | ({ text: string; chunks?: number } & ScriptedTurnOptions);

/** A step, or a function of the request body that picks one (a model reacting to tool results). */
export type ScriptEntry = ScriptedStep | ((body: Record<string, unknown>) => ScriptedStep);

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface ScriptedModel {
  /** Base URL ending in `/v1`, as a provider's `base_url`. */
  url: string;
  requests: RecordedRequest[];
  /** Requests whose client went away before the answer was complete. */
  readonly aborted: number;
  /** `GET /v1/models` requests answered. */
  readonly modelListings: number;
  enqueue(steps: ScriptEntry | ScriptEntry[]): void;
  waitForRequests(count: number): Promise<void>;
  waitForAbort(count?: number): Promise<void>;
  close(): Promise<void>;
}

export interface ScriptedModelOptions {
  /** Answer with this step whenever the script is empty (benchmarks), instead of a 500. */
  fallback?: ScriptEntry;
  /** Keep every request in `requests` (default true; benchmarks turn it off). */
  record?: boolean;
  /** Model ids `GET /v1/models` lists (OpenAI's list shape); without it that route is a 404. */
  models?: string[];
}

export async function startScriptedModel(
  options: ScriptedModelOptions = {},
): Promise<ScriptedModel> {
  const script: ScriptEntry[] = [];
  const requests: RecordedRequest[] = [];
  const changes = new EventEmitter();
  let aborted = 0;
  let modelListings = 0;
  const waitUntil = (predicate: () => boolean) => waitForChange(changes, "change", predicate);

  const server = createServer((request, response) => {
    const exchange = { dropped: false };
    response.on("close", () => {
      if (response.writableEnded || exchange.dropped) return;
      aborted += 1;
      changes.emit("change");
    });
    void handle(request, response, exchange).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, errorBody(String(error)));
      else response.destroy();
    });
  });

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    exchange: { dropped: boolean },
  ): Promise<void> {
    let text = "";
    for await (const piece of request) text += String(piece);
    const body = parseBody(text);
    const path = request.url ?? "";
    if (request.method === "GET" && path.endsWith("/v1/models") && options.models) {
      const data = options.models.map((id) => ({ id, object: "model", created: 1, owned_by: "x" }));
      modelListings += 1;
      sendJson(response, 200, { object: "list", data });
      return;
    }
    if (request.method !== "POST" || !path.endsWith("/v1/chat/completions") || body === null) {
      sendJson(response, 404, errorBody(`scripted model: no route for ${request.method} ${path}`));
      return;
    }
    if (options.record !== false) requests.push({ path, headers: request.headers, body });
    changes.emit("change");
    const entry = script.shift() ?? options.fallback;
    const step = typeof entry === "function" ? entry(body) : entry;
    if (!step) {
      sendJson(response, 500, errorBody("scripted model: no step queued"));
      return;
    }
    await answer(step, body, response, exchange);
  }

  const port = await listenOnLoopback(server);

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get aborted() {
      return aborted;
    },
    get modelListings() {
      return modelListings;
    },
    enqueue: (steps) => script.push(...(Array.isArray(steps) ? steps : [steps])),
    waitForRequests: (count) => waitUntil(() => requests.length >= count),
    waitForAbort: (count = 1) => waitUntil(() => aborted >= count),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function answer(
  step: ScriptedStep,
  body: Record<string, unknown>,
  response: ServerResponse,
  exchange: { dropped: boolean },
): Promise<void> {
  if ("error" in step) {
    const { status, body: errorPayload, headers = {} } = step.error;
    if (typeof errorPayload === "string") {
      sendText(response, status, errorPayload, { "content-type": "text/plain", ...headers });
    } else {
      sendJson(response, status, errorPayload ?? errorBody(`scripted error ${status}`), headers);
    }
    return;
  }
  if ("hang" in step) return;
  const wire = new ChatCompletionWire(
    typeof body.model === "string" ? body.model : "scripted-model",
  );
  const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
  if ("sse" in step) {
    const payloads = step.sse.map((item) =>
      typeof item === "string" ? item : JSON.stringify(item),
    );
    await sendSse(response, payloads, step.delayMs ?? 0);
    response.end();
    return;
  }
  if ("dropAfterChunks" in step || "stallAfterChunks" in step) {
    const pieces = wire.textChunks(step.text, step.chunks ?? step.text.length);
    const count = "dropAfterChunks" in step ? step.dropAfterChunks : step.stallAfterChunks;
    const delayMs = "delayMs" in step ? (step.delayMs ?? 0) : 0;
    await sendSse(response, pieces.slice(0, count + 1).map(encode), delayMs);
    if ("dropAfterChunks" in step) {
      exchange.dropped = true;
      response.destroy();
    }
    return;
  }
  const turn = "toolCalls" in step ? wire.toolTurn(step) : wire.textTurn(step);
  const streamed = step.format ? step.format === "sse" : body.stream === true;
  if (!streamed) return sendJson(response, 200, wire.completion(turn));
  const chunks = [...turn.chunks, wire.chunk({}, turn.finishReason)];
  if (includeUsage) chunks.push({ ...wire.chunk({}, null), choices: [], usage: turn.usage });
  await sendSse(response, [...chunks.map(encode), "[DONE]"], step.delayMs ?? 0);
  response.end();
}

async function sendSse(response: ServerResponse, payloads: string[], delayMs: number) {
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  response.flushHeaders();
  for (const [position, payload] of payloads.entries()) {
    if (position > 0 && delayMs > 0) await delay(delayMs);
    if (response.destroyed) return;
    await new Promise<void>((resolve) => response.write(`data: ${payload}\n\n`, () => resolve()));
  }
}

function errorBody(message: string): Record<string, unknown> {
  return { error: { message, type: "server_error", param: null, code: null } };
}

function encode(chunk: Record<string, unknown>): string {
  return JSON.stringify(chunk);
}

function parseBody(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
