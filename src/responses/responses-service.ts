/**
 * The Responses API as operations, independent of HTTP (PRODUCT.md §3): create (streamed, JSON or
 * background), retrieve, delete, list input items, cancel. Background runs are tracked here, per
 * app instance, so `cancel` can stop them.
 */
import type { Logger } from "pino";
import { invalidRequest, notFound } from "../errors/api-error.js";
import type { ApiError } from "../errors/api-error.js";
import type { ItemPage, ListItemsQuery, ResponseStore } from "../store/response-store.js";
import type { CreateResponseRequest } from "./create-response-request.js";
import type { ConversationItem, ResponseObject } from "./response-types.js";
import { prepareResponse } from "./prepare-response.js";
import type { ModelResolver } from "./prepare-response.js";
import { ResponseExecution } from "./response-execution.js";
import { runResponse } from "./run-response.js";
import type { McpToolDeps } from "./prepare-mcp-tools.js";
import type { Metrics } from "../observability/metrics.js";

export interface ResponsesServiceDeps {
  models: ModelResolver;
  store: ResponseStore;
  logger: Logger;
  now: () => number;
  mcpTools: McpToolDeps | null;
  metrics?: Metrics;
}

export class ResponsesService {
  private readonly background = new Map<
    string,
    { controller: AbortController; done: Promise<void> }
  >();

  constructor(private readonly deps: ResponsesServiceDeps) {}

  /**
   * Prepares and starts a response tied to `signal` (the client connection). Preparation errors
   * throw before anything is sent.
   */
  async start(request: CreateResponseRequest, signal: AbortSignal): Promise<ResponseExecution> {
    const { prepared, inputItems } = await prepareResponse(request, this.deps, signal);
    const source = runResponse(prepared, this.deps, signal);
    return new ResponseExecution(source, this.hooksFor(prepared.base.store, inputItems));
  }

  /** Stores a `queued` response and runs it detached from the client (reference §5.7 [BG]). */
  async startBackground(request: CreateResponseRequest): Promise<ResponseObject> {
    const { prepared, inputItems } = await prepareResponse(
      request,
      this.deps,
      new AbortController().signal,
    );
    const queued: ResponseObject = { ...prepared.base, status: "queued" };
    await this.deps.store.save({ response: queued, inputItems });
    const controller = new AbortController();
    const execution = new ResponseExecution(
      runResponse(prepared, this.deps, controller.signal),
      this.hooksFor(true, inputItems),
    );
    const done = execution
      .collect()
      .then(() => undefined)
      .catch((error: unknown) => {
        if (!controller.signal.aborted)
          this.deps.logger.warn(
            { err: error, response_id: queued.id },
            "background response failed",
          );
      })
      .finally(() => this.background.delete(queued.id));
    this.background.set(queued.id, { controller, done });
    return queued;
  }

  async retrieve(id: string): Promise<ResponseObject> {
    const stored = await this.deps.store.get(id);
    if (!stored) throw notFound("Response", id, "response_id");
    return stored.response;
  }

  async delete(id: string): Promise<{ id: string; object: "response"; deleted: true }> {
    this.background.get(id)?.controller.abort();
    if (!(await this.deps.store.delete(id))) throw notFound("Response", id, "response_id");
    return { id, object: "response", deleted: true };
  }

  async listInputItems(id: string, query: ListItemsQuery): Promise<ItemPage> {
    const page = await this.deps.store.listInputItems(id, query);
    if (!page) throw notFound("Response", id, "response_id");
    return page;
  }

  /** Cancels a background response; cancelling a finished one returns it unchanged (idempotent). */
  async cancel(id: string): Promise<ResponseObject> {
    const stored = await this.deps.store.get(id);
    if (!stored) throw notFound("Response", id, "response_id");
    if (!stored.response.background)
      throw invalidRequest("Cannot cancel a synchronous response.", "response_id");
    const run = this.background.get(id);
    if (run) {
      run.controller.abort(new Error("cancelled"));
      await run.done;
    }
    return this.retrieve(id);
  }

  /** Waits for background runs (graceful shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.background.values()].map((run) => run.done));
  }

  private hooksFor(store: boolean, inputItems: ConversationItem[]) {
    return {
      onFinish: async (response: ResponseObject) => {
        if (store) await this.deps.store.save({ response, inputItems });
      },
      onFailure: (error: ApiError, cause: unknown) => {
        const level = error.status >= 500 ? "warn" : "info";
        this.deps.logger[level]({ err: cause, status: error.status }, "response failed");
      },
    };
  }
}
