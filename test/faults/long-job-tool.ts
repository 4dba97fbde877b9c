/**
 * An MCP fixture tool that runs until its time is up or the server cancels it, and lets a test
 * wait on both (the fixture's own `slow` tool honours cancellation but does not report it).
 */
import { EventEmitter } from "node:events";
import { z } from "zod";
import { fixtureTool, type FixtureTool } from "../support/mcp-fixture-server.js";
import { waitForChange } from "../support/wait-for-change.js";

export interface LongJob {
  /** `long_job {serial?, ms}`: runs for `ms` unless cancelled. */
  tool: FixtureTool;
  started(): number;
  cancelled(): number;
  /** Resolves once `predicate` holds, re-checked on every start and cancellation. */
  waitFor(predicate: () => boolean): Promise<void>;
  /** Resolves once the run with this `serial` has started. */
  whenStarted(serial: string): Promise<void>;
}

export function longJobTool(): LongJob {
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const startedSerials = new Set<string>();
  let started = 0;
  let cancelled = 0;
  const waitFor = (predicate: () => boolean) => waitForChange(changes, "change", predicate);
  const tool = fixtureTool({
    name: "long_job",
    description: "Runs until done or cancelled",
    input: { serial: z.string().optional(), ms: z.number() },
    run: async (args, { signal }) => {
      started += 1;
      if (args.serial !== undefined) startedSerials.add(args.serial);
      changes.emit("change");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, args.ms);
        signal.addEventListener(
          "abort",
          () => {
            clearTimeout(timer);
            cancelled += 1;
            changes.emit("change");
            resolve();
          },
          { once: true },
        );
      });
      return { content: [{ type: "text", text: "finished" }] };
    },
  });
  return {
    tool,
    started: () => started,
    cancelled: () => cancelled,
    waitFor,
    whenStarted: (serial) => waitFor(() => startedSerials.has(serial)),
  };
}
