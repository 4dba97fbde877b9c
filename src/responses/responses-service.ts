/**
 * The Responses API as operations, independent of HTTP (PRODUCT.md §3): create (streamed, JSON or
 * background), retrieve, delete, list input items, cancel. Background runs are tracked here, per
 * app instance, so `cancel` can stop them.
 */
import { setMaxListeners } from "node:events";
import type { Logger } from "pino";
import { invalidRequest } from "../errors/invalid-request-error.js";
import { notFound } from "../errors/not-found-error.js";
import { toApiError } from "../errors/to-api-error.js";
import type { ApiError } from "../errors/api-error.js";
import type {
  ItemPage,
  ListItemsQuery,
  ListResponsesQuery,
  ResponseStore,
  StoredResponse,
} from "../store/response-store.js";
import type { Owner } from "../store/owner.js";
import type { ContextSource } from "./context-source.js";
import { listingOwner, mayAccess, type Principal } from "./principal.js";
import type { CreateResponseRequest } from "./create-response-request.js";
import type { ConversationItem, ResponseObject } from "./response-types.js";
import { prepareResponse } from "./prepare-response.js";
import type { ModelResolver } from "./prepare-response.js";
import { ResponseExecution, type ExecutionHooks } from "./response-execution.js";
import { ShutdownError } from "../errors/shutdown-error.js";
import { toResponseError } from "./to-response-error.js";
import { linkSignal } from "../lib/link-signal.js";
import { runResponse } from "./run-response.js";
import type { McpToolDeps } from "./prepare-mcp-tools.js";

export interface ResponsesServiceDeps {
  models: ModelResolver;
  store: ResponseStore;
  /** The `previous_response_id` chain and conversations (issue 12 §4). */
  context: ContextSource;
  logger: Logger;
  now: () => number;
  mcpTools: McpToolDeps | null;
}

/** What a finished response is stored with. */
interface FinishedRecord {
  inputItems: ConversationItem[];
  owner: Owner;
  conversationId: string | null;
}

export class ResponsesService {
  private readonly background = new Map<
    string,
    { controller: AbortController; done: Promise<void> }
  >();

  readonly #stopping = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: ResponsesServiceDeps) {
    // One listener per response in flight: not a leak, so no MaxListenersExceeded warning.
    setMaxListeners(1_000_000, this.#stopping.signal);
  }

  /**
   * Prepares and starts a response tied to `signal` (the client connection). Preparation errors
   * throw before anything is sent.
   */
  async start(
    request: CreateResponseRequest,
    signal: AbortSignal,
    principal: Principal,
  ): Promise<ResponseExecution> {
    this.#refuseWhenStopping();
    const { prepared, inputItems, conversationId } = await prepareResponse(
      request,
      this.deps,
      signal,
      principal,
    );
    const client = linkSignal(signal);
    const stopping = linkSignal(this.#stopping.signal, client.controller);
    const source = runResponse(prepared, this.deps, client.signal);
    const record = { inputItems, owner: principal.owner, conversationId };
    const hooks = this.#track(this.hooksFor(prepared.base.store, record), () => {
      client.release();
      stopping.release();
    });
    return new ResponseExecution(source, hooks);
  }

  /** Stores a `queued` response and runs it detached from the client (reference §5.7 [BG]). */
  async startBackground(
    request: CreateResponseRequest,
    principal: Principal,
  ): Promise<ResponseObject> {
    this.#refuseWhenStopping();
    const { prepared, inputItems, conversationId } = await prepareResponse(
      request,
      this.deps,
      new AbortController().signal,
      principal,
    );
    const queued: ResponseObject = { ...prepared.base, status: "queued" };
    const owner = principal.owner;
    await this.deps.store.save({ response: queued, inputItems, owner });
    const controller = new AbortController();
    const stopping = linkSignal(this.#stopping.signal, controller);
    const execution = new ResponseExecution(
      runResponse(prepared, this.deps, controller.signal),
      this.hooksFor(true, { inputItems, owner, conversationId }),
    );
    const done = execution
      .collect()
      .then(() => undefined)
      .catch(async (error: unknown) => {
        if (controller.signal.aborted) return;
        this.#logFailure(toApiError(error), error, "background response failed", queued.id);
        await this.#storeFailureIfQueued(queued, error);
      })
      .finally(() => {
        stopping.release();
        this.background.delete(queued.id);
      });
    this.background.set(queued.id, { controller, done });
    return queued;
  }

  async retrieve(id: string, principal: Principal): Promise<ResponseObject> {
    return (await this.#visible(id, principal)).response;
  }

  /** Stored responses the caller may see (PRODUCT.md §9.3), each with its input items. */
  async list(
    query: Omit<ListResponsesQuery, "owner">,
    principal: Principal,
  ): Promise<{ data: StoredResponse[]; hasMore: boolean }> {
    return this.deps.store.list({ ...query, owner: listingOwner(principal) });
  }

  async delete(
    id: string,
    principal: Principal,
  ): Promise<{ id: string; object: "response"; deleted: true }> {
    await this.#visible(id, principal);
    this.background.get(id)?.controller.abort();
    if (!(await this.deps.store.delete(id))) throw notFound("Response", id, "response_id");
    return { id, object: "response", deleted: true };
  }

  async listInputItems(id: string, query: ListItemsQuery, principal: Principal): Promise<ItemPage> {
    await this.#visible(id, principal);
    const page = await this.deps.store.listInputItems(id, query);
    if (!page) throw notFound("Response", id, "response_id");
    return page;
  }

  /** Cancels a background response; cancelling a finished one returns it unchanged (idempotent). */
  async cancel(id: string, principal: Principal): Promise<ResponseObject> {
    const stored = await this.#visible(id, principal);
    if (!stored.response.background)
      throw invalidRequest("Cannot cancel a synchronous response.", "response_id");
    const run = this.background.get(id);
    if (run) {
      run.controller.abort(new Error("cancelled"));
      await run.done;
    }
    return this.retrieve(id, principal);
  }

  /** The stored response, or the same 404 for a missing one and someone else's. */
  async #visible(id: string, principal: Principal): Promise<StoredResponse> {
    const stored = await this.deps.store.get(id);
    if (!stored || !mayAccess(principal, stored.owner)) {
      throw notFound("Response", id, "response_id");
    }
    return stored;
  }

  /**
   * Graceful shutdown (PRODUCT.md §7): refuses new responses, lets running ones (streams,
   * JSON and background) finish for up to `graceMs`, then ends the rest with `response.failed`
   * and waits until every one of them is stored.
   */
  async shutdown(graceMs: number): Promise<void> {
    const running = () =>
      Promise.all([...this.#inFlight, ...[...this.background.values()].map((run) => run.done)]);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([running(), deadline]);
    clearTimeout(timer);
    this.#stopping.abort(new ShutdownError());
    await running();
  }

  /** One line for an expected failure (a model server down); the stack only for an unexpected one. */
  #logFailure(error: ApiError, cause: unknown, message: string, responseId?: string): void {
    const fields = { status: error.status, code: error.code, response_id: responseId };
    if (error.unexpected) this.deps.logger.error({ ...fields, err: cause }, message);
    else
      this.deps.logger[error.status >= 500 ? "warn" : "info"](
        fields,
        `${message}: ${error.message}`,
      );
  }

  /** A run that failed before its first event stored nothing: it must not stay `queued` forever. */
  async #storeFailureIfQueued(queued: ResponseObject, error: unknown): Promise<void> {
    try {
      const stored = await this.deps.store.get(queued.id);
      if (stored?.response.status !== "queued") return;
      await this.deps.store.save({
        ...stored,
        response: { ...stored.response, status: "failed", error: toResponseError(error) },
      });
    } catch (storeError) {
      this.deps.logger.error(
        { err: storeError, response_id: queued.id },
        "could not store a background failure",
      );
    }
  }

  /**
   * A completed or incomplete response adds its input and output to its conversation as one block
   * (issue 14 §1); a failed or cancelled one adds nothing, so the client can simply retry.
   */
  async #appendTurn(
    conversationId: string,
    response: ResponseObject,
    inputItems: readonly ConversationItem[],
  ): Promise<void> {
    if (response.status !== "completed" && response.status !== "incomplete") return;
    const appended = await this.deps.context.appendTurn(conversationId, [
      ...inputItems,
      ...response.output,
    ]);
    if (!appended) {
      this.deps.logger.info(
        { response_id: response.id, conversation_id: conversationId },
        "the conversation was deleted while the response ran; its turn was not kept",
      );
    }
  }

  #refuseWhenStopping(): void {
    if (this.#stopping.signal.aborted) throw new ShutdownError();
  }

  /** Counts an execution as in flight until its final object is stored. */
  #track(hooks: ExecutionHooks, release: () => void): ExecutionHooks {
    let finish = (): void => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    this.#inFlight.add(done);
    return {
      ...hooks,
      onSettled: () => {
        release();
        this.#inFlight.delete(done);
        finish();
      },
    };
  }

  /** Waits for background runs (graceful shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.background.values()].map((run) => run.done));
  }

  private hooksFor(store: boolean, record: FinishedRecord) {
    const { inputItems, owner, conversationId } = record;
    return {
      onFinish: async (response: ResponseObject) => {
        if (store) await this.deps.store.save({ response, inputItems, owner });
        if (conversationId !== null) await this.#appendTurn(conversationId, response, inputItems);
        // The summary is built per response: only when someone reads it.
        if (!this.deps.logger.isLevelEnabled("debug")) return;
        this.deps.logger.debug(
          {
            response_id: response.id,
            status: response.status,
            stored: store,
            tools: response.tools,
            output: response.output.map((item) => ({
              type: item.type,
              id: item.id,
              ...("server_label" in item ? { server_label: item.server_label } : {}),
            })),
            usage: response.usage,
          },
          "response finished",
        );
      },
      onFailure: (error: ApiError, cause: unknown) => {
        this.#logFailure(error, cause, "response failed");
      },
    };
  }
}
