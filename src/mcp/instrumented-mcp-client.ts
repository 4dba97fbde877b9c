/**
 * Decorates the MCP port with telemetry, as `InstrumentedChatModel` does inference (issue 12 §4):
 * every connect, listing, tool call and probe is reported to the observers (metrics, connector
 * health) with its peer, outcome, latency and negotiated revision, so neither the SDK adapter nor
 * the Responses engine carries observability code. Failures are reported with secrets redacted.
 */
import type {
  McpObservation,
  McpObserver,
  McpOperation,
  McpOutcome,
} from "../observability/telemetry.js";
import type { McpClient, McpLease, McpProbe, McpServerTarget } from "./mcp-client.js";
import { messageOfCall, outcomeOfCall, outcomeOfFailure } from "./mcp-outcome.js";
import { redactSecrets } from "./redact-secrets.js";

export class InstrumentedMcpClient implements McpClient {
  constructor(
    private readonly inner: McpClient,
    private readonly observers: readonly McpObserver[],
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(target: McpServerTarget, signal: AbortSignal): Promise<McpLease> {
    const lease = await this.#observe(
      target,
      "connect",
      signal,
      () => this.inner.acquire(target, signal),
      (acquired) => acquired.protocolRevision,
    );
    const revision = lease.protocolRevision;
    return {
      protocolRevision: revision,
      listTools: (listSignal) =>
        this.#observe(
          target,
          "list_tools",
          listSignal,
          () => lease.listTools(listSignal),
          () => revision,
          revision,
        ),
      callTool: async (name, args, callSignal) => {
        const started = performance.now();
        const outcome = await this.#failures(
          target,
          "call_tool",
          callSignal,
          started,
          revision,
          () => lease.callTool(name, args, callSignal),
        );
        const message = messageOfCall(outcome);
        this.#report(target, "call_tool", started, {
          outcome: outcomeOfCall(outcome),
          protocolRevision: revision,
          error: message === null ? null : redactSecrets(message, target),
        });
        return outcome;
      },
      release: () => lease.release(),
    };
  }

  probe(target: McpServerTarget, signal: AbortSignal): Promise<McpProbe> {
    return this.#observe(
      target,
      "probe",
      signal,
      () => this.inner.probe(target, signal),
      (probe) => probe.protocolRevision,
    );
  }

  forgetServer(url: string): Promise<void> {
    return this.inner.forgetServer(url);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Runs `run`, reporting its success (`ok`) or failure. */
  async #observe<T>(
    target: McpServerTarget,
    operation: McpOperation,
    signal: AbortSignal,
    run: () => Promise<T>,
    revisionOf: (value: T) => string | null,
    knownRevision: string | null = null,
  ): Promise<T> {
    const started = performance.now();
    const value = await this.#failures(target, operation, signal, started, knownRevision, run);
    this.#report(target, operation, started, {
      outcome: "ok",
      protocolRevision: revisionOf(value),
      error: null,
    });
    return value;
  }

  /** Runs `run`; a failure is reported (an abort as `aborted`, unknown errors not at all) and rethrown. */
  async #failures<T>(
    target: McpServerTarget,
    operation: McpOperation,
    signal: AbortSignal,
    started: number,
    protocolRevision: string | null,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const outcome: McpOutcome | null = signal.aborted ? "aborted" : outcomeOfFailure(error);
      if (outcome !== null)
        this.#report(target, operation, started, {
          outcome,
          protocolRevision,
          error:
            outcome === "aborted" || !(error instanceof Error)
              ? null
              : redactSecrets(error.message, target),
        });
      throw error;
    }
  }

  #report(
    target: McpServerTarget,
    operation: McpOperation,
    started: number,
    result: Pick<McpObservation, "outcome" | "protocolRevision" | "error">,
  ): void {
    const observation: McpObservation = {
      peer: target.peer ?? { kind: "server_url" },
      operation,
      durationMs: performance.now() - started,
      at: this.now(),
      ...result,
    };
    for (const observer of this.observers) observer.recordMcp(observation);
  }
}
