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
import type { BackgroundRunStore } from "../store/background-run-store.js";
import { BackgroundRun, CancelRequestedError } from "./background/background-run.js";
import { followEvents } from "./background/follow-events.js";
import { RunWakeups } from "./background/run-wakeups.js";
import { settleExpiredRuns } from "./background/settle-expired-runs.js";
import type { ResponseEvent, ResponseEventBody } from "./response-events.js";

/** How background runs hold their lease and how followers wait (issue 13 §4; README). */
export interface BackgroundSettings {
  /** This replica's id in the store's run rows (random per process). */
  runner: string;
  /** A run whose lease is not renewed for this long is failed by another replica's sweep. */
  leaseMs: number;
  /** Lease renewal and cancel check, a follower's poll of another replica's run, and the sweep. */
  pollMs: number;
}

export interface ResponsesServiceDeps {
  models: ModelResolver;
  store: ResponseStore;
  /** Events, leases and cancel requests of background responses (issue 14 §2). */
  runs: BackgroundRunStore;
  background: BackgroundSettings;
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

/** How long `cancel` waits for a run on another replica to stop before answering. */
const CANCEL_WAIT_MS = 5_000;

/** A background response's stream starts with it `queued` (issue 14 §2), then `in_progress`. */
async function* startQueued(
  source: AsyncGenerator<ResponseEventBody>,
): AsyncGenerator<ResponseEventBody> {
  for await (const body of source) {
    yield body.type === "response.created"
      ? { ...body, response: { ...body.response, status: "queued" } }
      : body;
  }
}

export class ResponsesService {
  private readonly background = new Map<string, { run: BackgroundRun; done: Promise<void> }>();
  readonly #wakeups = new RunWakeups();
  #sweep: NodeJS.Timeout | null = null;

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
    const hooks = this.#track(
      this.hooksFor(prepared.base.store ? "upsert" : "none", record),
      () => {
        client.release();
        stopping.release();
      },
    );
    return new ResponseExecution(source, hooks);
  }

  /**
   * Stores a `queued` response and runs it detached from the client (reference §5.7 [BG]) on this
   * replica, under a lease, with its events stored for followers (issue 14 §2).
   */
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
    const run = await BackgroundRun.begin(queued.id, {
      ...this.deps.background,
      runs: this.deps.runs,
      wakeups: this.#wakeups,
      logger: this.deps.logger,
    }).catch(async (error: unknown) => {
      // Never started: it must not stay `queued` (the caller gets the error).
      await this.#storeFailureIfQueued(queued, error);
      throw error;
    });
    const stopping = linkSignal(this.#stopping.signal, run.controller);
    const hooks = this.hooksFor("existing", { inputItems, owner, conversationId });
    const execution = new ResponseExecution(
      startQueued(runResponse(prepared, this.deps, run.signal)),
      {
        ...hooks,
        onFinish: async (response) => {
          if (run.owned) await hooks.onFinish(response);
        },
      },
    );
    const done = this.#drive(run, execution, { inputItems, owner })
      .catch(async (error: unknown) => {
        if (run.signal.aborted && !(run.signal.reason instanceof ShutdownError)) return;
        this.#logFailure(toApiError(error), error, "background response failed", queued.id);
        if (run.owned) await this.#storeFailureIfQueued(queued, error);
      })
      .then(() => run.finish())
      .finally(() => {
        stopping.release();
        this.background.delete(queued.id);
      });
    this.background.set(queued.id, { run, done });
    return queued;
  }

  /** Stores each event for followers, and the response as `in_progress` once it starts. */
  async #drive(
    run: BackgroundRun,
    execution: ResponseExecution,
    record: Omit<FinishedRecord, "conversationId">,
  ): Promise<void> {
    for await (const event of execution.events()) {
      if (event.type === "response.in_progress" && run.owned) {
        // Deleted since it was queued (on any replica): give the run up, store nothing more.
        if (!(await this.deps.store.update({ ...record, response: event.response }))) {
          run.discard();
        }
      }
      await run.record(event);
    }
  }

  /**
   * The events of a background response after `startingAfter` (-1: all), then the live run's to
   * its end, wherever it runs (issue 14 §2); a response not created with `background: true` is a
   * 400, as OpenAI answers.
   */
  async follow(
    id: string,
    startingAfter: number,
    principal: Principal,
    signal: AbortSignal,
  ): Promise<AsyncGenerator<ResponseEvent>> {
    const stored = await this.#visible(id, principal);
    if (!stored.response.background) {
      throw invalidRequest(
        "Only responses created with 'background: true' can be streamed again.",
        "stream",
      );
    }
    return followEvents(id, startingAfter, this.#followDeps(), signal);
  }

  /**
   * Starts this replica's lease sweep (issue 13 §4): every `pollMs`, runs whose lease expired
   * (their replica died) are failed. Stopped by `shutdown`.
   */
  startLeaseSweep(): void {
    if (this.#sweep) return;
    let sweeping = false;
    this.#sweep = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      settleExpiredRuns({
        store: this.deps.store,
        runs: this.deps.runs,
        wakeups: this.#wakeups,
        logger: this.deps.logger,
        runner: this.deps.background.runner,
        leaseMs: this.deps.background.leaseMs,
      })
        .catch((error: unknown) => {
          this.deps.logger.warn({ err: error }, "background lease sweep failed; retrying");
        })
        .finally(() => {
          sweeping = false;
        });
    }, this.deps.background.pollMs);
    this.#sweep.unref();
  }

  #followDeps() {
    return { runs: this.deps.runs, wakeups: this.#wakeups, pollMs: this.deps.background.pollMs };
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
    this.background.get(id)?.run.discard();
    if (!(await this.deps.store.delete(id))) throw notFound("Response", id, "response_id");
    return { id, object: "response", deleted: true };
  }

  async listInputItems(id: string, query: ListItemsQuery, principal: Principal): Promise<ItemPage> {
    await this.#visible(id, principal);
    const page = await this.deps.store.listInputItems(id, query);
    if (!page) throw notFound("Response", id, "response_id");
    return page;
  }

  /**
   * Cancels a background response on whichever replica runs it: here at once, elsewhere through
   * the store's cancel request, which that runner reads within `pollMs`; waits (a bounded time)
   * for the run to end. Cancelling a finished one returns it unchanged (idempotent).
   */
  async cancel(id: string, principal: Principal): Promise<ResponseObject> {
    const stored = await this.#visible(id, principal);
    if (!stored.response.background)
      throw invalidRequest("Cannot cancel a synchronous response.", "response_id");
    const local = this.background.get(id);
    if (local) {
      local.run.controller.abort(new CancelRequestedError());
      await local.done;
    } else if (await this.deps.runs.requestCancel(id)) {
      const deadline = Date.now() + CANCEL_WAIT_MS;
      while (Date.now() < deadline && (await this.deps.runs.isRunning(id))) {
        await this.#wakeups.wait(id, this.deps.background.pollMs);
      }
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
    if (this.#sweep) clearInterval(this.#sweep);
    this.#sweep = null;
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
      await this.deps.store.update({
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

  /**
   * How the finished response is stored: not at all (`store: false`), inserted or replaced, or
   * (`existing`, a background response stored when it was queued) only updated, so one deleted
   * while it ran (on any replica, before this run noticed) is not brought back.
   */
  private hooksFor(write: "none" | "upsert" | "existing", record: FinishedRecord) {
    const { inputItems, owner, conversationId } = record;
    return {
      onFinish: async (response: ResponseObject) => {
        const finished = { response, inputItems, owner };
        if (write === "upsert") await this.deps.store.save(finished);
        if (write === "existing" && !(await this.deps.store.update(finished))) {
          this.deps.logger.info(
            { response_id: response.id },
            "response deleted while it ran; its result was not stored",
          );
          return;
        }
        if (conversationId !== null) await this.#appendTurn(conversationId, response, inputItems);
        // The summary is built per response: only when someone reads it.
        if (!this.deps.logger.isLevelEnabled("debug")) return;
        this.deps.logger.debug(
          {
            response_id: response.id,
            status: response.status,
            stored: write !== "none",
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
