/**
 * Storage ports for objects the management API creates at runtime (PRODUCT.md §6, §8.10):
 * connectors (`source: "api"`) and MCP registries. Every write is committed before it returns
 * (the API answers 2xx only after that), and each object carries a `revision` that changes on
 * every write, for `ETag` / `If-Match` optimistic concurrency.
 */
import type { RegistryConfig } from "../config/patchbay-config.js";
import type { ConnectorConfig } from "../connectors/connector-schema.js";

export interface Stored<T> {
  value: T;
  /** Starts at 1, +1 on every update; the ETag is derived from it. */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface ManagedStore<T> {
  list(): Promise<Stored<T>[]>;
  get(id: string): Promise<Stored<T> | null>;
  /** Throws `DuplicateIdError` when the id exists. */
  create(id: string, value: T): Promise<Stored<T>>;
  /**
   * Replaces the value. Throws `RevisionMismatchError` when `expectedRevision` is given and differs
   * (checked and written in one transaction); returns null when the id does not exist.
   */
  update(id: string, value: T, expectedRevision?: number): Promise<Stored<T> | null>;
  /** Returns false when the id does not exist; throws `RevisionMismatchError` like `update`. */
  delete(id: string, expectedRevision?: number): Promise<boolean>;
}

export type ManagedConnectorStore = ManagedStore<ConnectorConfig>;
export type ManagedRegistryStore = ManagedStore<RegistryConfig>;

/**
 * What a conditional write requires of the object's current revision: nothing (`any`), exactly
 * this one, or one no revision can have (`never`: an `If-Match` naming no revision of ours).
 */
export type ExpectedRevision = number | "any" | "never";

/** A store write collided with an existing id. */
export class DuplicateIdError extends Error {
  constructor(readonly id: string) {
    super(`An object with id '${id}' already exists.`);
    this.name = "DuplicateIdError";
  }
}

/** A conditional store write found another revision than expected. */
export class RevisionMismatchError extends Error {
  constructor(
    readonly id: string,
    readonly currentRevision: number,
  ) {
    super(`Object '${id}' has changed (now at revision ${currentRevision}).`);
    this.name = "RevisionMismatchError";
  }
}
