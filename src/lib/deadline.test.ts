import { describe, expect, it } from "vitest";
import { Deadline, DeadlineExceededError, withDeadline } from "./deadline.js";
import { untilAborted } from "./until-aborted.js";

/** Settles only when `signal` aborts, as well-behaved I/O does. */
const waitForAbort = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) =>
    signal.addEventListener("abort", () => reject(new Error("I/O aborted")), { once: true }),
  );

describe("Deadline", () => {
  it("rejects with our expiry, not the error of the I/O it aborted", async () => {
    await expect(withDeadline(new AbortController().signal, 5, waitForAbort)).rejects.toEqual(
      new DeadlineExceededError(5),
    );
  });

  it("rejects with the caller's own reason, before and during the wait", async () => {
    const caller = new AbortController();
    const reason = new Error("client went away");
    const pending = withDeadline(caller.signal, 60_000, waitForAbort);
    caller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expect(withDeadline(caller.signal, 60_000, waitForAbort)).rejects.toBe(reason);
  });

  it("passes the operation's own failure through when nobody aborted", async () => {
    const failure = new TypeError("bad answer");
    await expect(
      withDeadline(new AbortController().signal, 60_000, () => Promise.reject(failure)),
    ).rejects.toBe(failure);
  });

  it("rejects with the reason of our own abort (a limit), and stops I/O that ignores aborts via untilAborted", async () => {
    const deadline = new Deadline(new AbortController().signal);
    const limit = new Error("too large");
    const ignoringAborts = new Promise<never>(() => undefined);
    const pending = deadline.within(
      60_000,
      () => new Error("unused"),
      () => untilAborted(ignoringAborts, deadline.signal),
    );
    deadline.abort(limit);
    await expect(pending).rejects.toBe(limit);
    deadline.release();
  });

  it("does not abort its signal when the operation succeeds (the SDK cancels on a late abort)", async () => {
    const deadline = new Deadline(new AbortController().signal);
    expect(
      await deadline.within(
        5,
        () => new Error("late"),
        () => Promise.resolve(42),
      ),
    ).toBe(42);
    deadline.release();
    expect(deadline.signal.aborted).toBe(false);
  });
});
