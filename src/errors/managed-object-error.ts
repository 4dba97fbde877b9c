/**
 * A write to a managed object (a connector or registry of the admin API, PRODUCT.md §8.10) that
 * cannot be made: config objects are read-only, ids are unique across sources, `If-Match` must name
 * the current revision, and an id never changes. `toApiError` maps each reason (409, 409, 412, 400).
 */
export type ManagedKind = "Connector" | "MCP registry";

export type ManagedObjectFailure = "read_only" | "already_exists" | "stale_revision" | "id_changed";

export class ManagedObjectError extends Error {
  readonly failure: ManagedObjectFailure;
  readonly kind: ManagedKind;
  readonly id: string;
  /** The field or path parameter holding the id (`connector_id`, `registry_id`, `id`). */
  readonly idParam: string;

  constructor(
    failure: ManagedObjectFailure,
    init: { kind: ManagedKind; id: string; idParam: string; cause?: unknown },
  ) {
    super(
      `${init.kind} '${init.id}': ${failure.replace("_", " ")}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = "ManagedObjectError";
    this.failure = failure;
    this.kind = init.kind;
    this.id = init.id;
    this.idParam = init.idParam;
  }
}
