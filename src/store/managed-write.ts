/**
 * The conditional writes shared by every managed object kind (PRODUCT.md §8.10): config-defined ids
 * are read-only, the expected revision must be the current one, PATCH is an RFC 7396 merge patch on
 * the stored representation re-validated like the config file, and an id never changes. Failures
 * are domain errors naming the object and its id field; `toApiError` answers them (409, 412, 400,
 * 404) and the HTTP layer turns revisions into ETags.
 */
import { ManagedObjectError, type ManagedKind } from "../errors/managed-object-error.js";
import { notFound } from "../errors/not-found-error.js";
import { applyMergePatch } from "../lib/json-merge-patch.js";
import {
  DuplicateIdError,
  RevisionMismatchError,
  type ExpectedRevision,
  type ManagedStore,
  type Stored,
} from "./managed-store.js";

/** An admin answer and the revision it shows (`config` for run.yaml objects): its ETag's source. */
export interface WithRevision<T> {
  body: T;
  revision: number | "config";
}

/** Header names with their values replaced: admin-set values are secrets and never echoed. */
export function redactHeaders(headers: Record<string, string>): Record<string, "<redacted>"> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, "<redacted>" as const]));
}

export interface ManagedKindSpec<T> {
  kind: ManagedKind;
  /** The path parameter naming the id (`connector_id`, `registry_id`). */
  idParam: string;
  /** True for ids defined in run.yaml. */
  isConfig(id: string): boolean;
  /** The stored value in the config file's spelling (what a merge patch applies to). */
  toEntry(value: T): Record<string, unknown>;
  /** Validates an entry like the config file and resolves it (throws a ZodError → 400). */
  parse(entry: unknown): T;
  idOf(value: T): string;
}

/** Stores a new object; `idParam` is the body field holding its id. */
export async function createManaged<T>(
  spec: ManagedKindSpec<T>,
  store: ManagedStore<T>,
  value: T,
  idParam: string,
): Promise<Stored<T>> {
  const id = spec.idOf(value);
  if (spec.isConfig(id)) throw failure("read_only", spec, id, idParam);
  return storeWrite(spec, id, idParam, () => store.create(id, value));
}

export async function patchManaged<T>(
  spec: ManagedKindSpec<T>,
  store: ManagedStore<T>,
  id: string,
  patch: unknown,
  expected: ExpectedRevision,
): Promise<Stored<T>> {
  if (spec.isConfig(id)) throw failure("read_only", spec, id);
  const current = await store.get(id);
  if (!current) throw notFound(spec.kind, id, spec.idParam);
  if (expected === "never" || (expected !== "any" && expected !== current.revision))
    throw failure("stale_revision", spec, id);
  const value = spec.parse(applyMergePatch(spec.toEntry(current.value), patch));
  if (spec.idOf(value) !== id) throw failure("id_changed", spec, id);
  const stored = await storeWrite(spec, id, spec.idParam, () =>
    store.update(id, value, current.revision),
  );
  if (!stored) throw notFound(spec.kind, id, spec.idParam);
  return stored;
}

export async function deleteManaged<T>(
  spec: ManagedKindSpec<T>,
  store: ManagedStore<T>,
  id: string,
  expected: ExpectedRevision,
): Promise<void> {
  if (spec.isConfig(id)) throw failure("read_only", spec, id);
  if (expected === "never") throw failure("stale_revision", spec, id);
  const deleted = await storeWrite(spec, id, spec.idParam, () =>
    store.delete(id, expected === "any" ? undefined : expected),
  );
  if (!deleted) throw notFound(spec.kind, id, spec.idParam);
}

function failure<T>(
  reason: ConstructorParameters<typeof ManagedObjectError>[0],
  spec: ManagedKindSpec<T>,
  id: string,
  idParam = spec.idParam,
  cause?: unknown,
): ManagedObjectError {
  return new ManagedObjectError(reason, { kind: spec.kind, id, idParam, cause });
}

/** The store's own conflicts, as the object's. */
async function storeWrite<T, R>(
  spec: ManagedKindSpec<T>,
  id: string,
  idParam: string,
  write: () => Promise<R>,
): Promise<R> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof DuplicateIdError)
      throw failure("already_exists", spec, id, idParam, error);
    if (error instanceof RevisionMismatchError)
      throw failure("stale_revision", spec, id, idParam, error);
    throw error;
  }
}
