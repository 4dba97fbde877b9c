/**
 * Changes to managed objects, announced to every replica (issue 13 §2, ADR 0029). A write through
 * a `ManagedStore` announces itself: on PostgreSQL by `NOTIFY` in the write's own transaction, plus
 * a periodic reconcile that catches what a dropped listening connection missed; on SQLite (one
 * process) in process, after the commit. Listeners drop what they derived from the object and
 * read it again; a change may be announced more than once, so they must be idempotent.
 */

/** Which managed object changed (created, patched or deleted: listeners read the store again). */
export interface ManagedChange {
  kind: "connector" | "registry";
  id: string;
}

export type ChangeListener = (change: ManagedChange) => void;

export interface ChangeFeed {
  /** Calls `listener` for each change announced from now on, by any replica; returns unsubscribe. */
  subscribe(listener: ChangeListener): () => void;
  /** Stops listening; idempotent. */
  close(): Promise<void>;
}

/** Fans changes out to listeners; one throwing does not stop the others. */
export class ChangeListeners {
  readonly #listeners = new Set<ChangeListener>();

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(change: ManagedChange, onError: (error: unknown) => void): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        onError(error);
      }
    }
  }
}

/** One process, one database file: a write is announced to this process's listeners after it commits. */
export class InProcessChangeFeed implements ChangeFeed {
  readonly #listeners = new ChangeListeners();

  subscribe(listener: ChangeListener): () => void {
    return this.#listeners.subscribe(listener);
  }

  announce(change: ManagedChange): void {
    this.#listeners.emit(change, () => undefined);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
