/**
 * Event-driven waiting for test peers (STYLE.md "Tests": no sleeps as synchronisation): a condition
 * is re-checked whenever the peer reports a change, never on a timer.
 */
import type { EventEmitter } from "node:events";

/** Resolves once `predicate` holds: checked now, then on every `event` of `emitter`. */
export function waitForChange(
  emitter: EventEmitter,
  event: string,
  predicate: () => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (!predicate()) return;
      emitter.off(event, check);
      resolve();
    };
    emitter.on(event, check);
    check();
  });
}
