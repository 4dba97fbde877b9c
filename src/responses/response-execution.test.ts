import { describe, expect, it } from "vitest";
import { sampleRecord } from "../../test/contract/sample-stored-responses.js";
import type { ResponseEventBody } from "./response-events.js";
import { ResponseExecution } from "./response-execution.js";
import type { ResponseObject } from "./response-types.js";

function scriptedRun(ending: "completed" | "failed" | "none"): AsyncGenerator<ResponseEventBody> {
  const response = sampleRecord(0).response;
  return (async function* () {
    await Promise.resolve();
    yield { type: "response.created", response: { ...response, status: "in_progress" } };
    yield { type: "response.in_progress", response: { ...response, status: "in_progress" } };
    if (ending === "completed") yield { type: "response.completed", response };
    if (ending === "failed") {
      yield { type: "response.failed", response: { ...response, status: "failed" } };
      throw new Error("model server gone");
    }
  })();
}

/** Hooks whose `onFinish` resolves only when the test says so. */
function slowStore() {
  const finished: ResponseObject[] = [];
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const hooks = {
    onFinish: async (response: ResponseObject) => {
      await gate;
      finished.push(structuredClone(response));
    },
    onFailure: () => undefined,
  };
  return { hooks, finished, release };
}

describe("ResponseExecution", () => {
  it.each(["completed", "failed"] as const)(
    "stores the final object before it yields the terminal response.%s event",
    async (ending) => {
      const store = slowStore();
      const events = new ResponseExecution(scriptedRun(ending), store.hooks).events();
      expect((await events.next()).value).toMatchObject({ sequence_number: 0 });
      expect((await events.next()).value).toMatchObject({ sequence_number: 1 });
      const terminal = events.next();
      let yielded = false;
      void terminal.then(() => {
        yielded = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(yielded).toBe(false);
      store.release();
      expect((await terminal).value).toMatchObject({
        type: `response.${ending}`,
        sequence_number: 2,
      });
      expect(store.finished.map((response) => response.status)).toEqual([ending]);
      expect((await events.next()).done).toBe(true);
      expect(store.finished).toHaveLength(1);
    },
  );

  it("stores a run that ends without a terminal event once, as cancelled", async () => {
    const store = slowStore();
    store.release();
    const events = new ResponseExecution(scriptedRun("none"), store.hooks).events();
    for await (const _event of events) {
      // drained
    }
    expect(store.finished.map((response) => response.status)).toEqual(["cancelled"]);
  });
});
