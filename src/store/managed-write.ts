/**
 * The conditional writes shared by every managed object kind (PRODUCT.md §8.10): config-defined ids
 * are read-only (409), `If-Match` must name the current revision (412), PATCH is an RFC 7396 merge
 * patch on the stored representation re-validated like the config file, and an id never changes.
 */
import { invalidRequest } from "../errors/api-error.js";
import {
  expectedRevision,
  notFound,
  readOnly,
  staleRevision,
  storeWrite,
  type ManagedKind,
} from "../errors/managed-object-errors.js";
import { applyMergePatch } from "../lib/json-merge-patch.js";
import type { ManagedStore, Stored } from "./managed-store.js";

/** An admin answer and the `ETag` it goes out with. */
export interface WithEtag<T> {
  body: T;
  etag: string;
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

export async function patchManaged<T>(
  spec: ManagedKindSpec<T>,
  store: ManagedStore<T>,
  id: string,
  patch: unknown,
  ifMatch: string | undefined,
): Promise<Stored<T>> {
  if (spec.isConfig(id)) throw readOnly(spec.kind, id, spec.idParam);
  const expected = expectedRevision(ifMatch);
  const current = await store.get(id);
  if (!current) throw notFound(spec.kind, id, spec.idParam);
  if (expected === "never" || (expected !== undefined && expected !== current.revision))
    throw staleRevision(spec.kind, id);
  const value = spec.parse(applyMergePatch(spec.toEntry(current.value), patch));
  if (spec.idOf(value) !== id)
    throw invalidRequest(
      `The id of ${spec.kind === "Connector" ? "a connector" : "an MCP registry"} cannot be changed; create a new one instead.`,
      spec.idParam,
    );
  const stored = await storeWrite(spec.kind, id, spec.idParam, () =>
    store.update(id, value, current.revision),
  );
  if (!stored) throw notFound(spec.kind, id, spec.idParam);
  return stored;
}

export async function deleteManaged<T>(
  spec: ManagedKindSpec<T>,
  store: ManagedStore<T>,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  if (spec.isConfig(id)) throw readOnly(spec.kind, id, spec.idParam);
  const expected = expectedRevision(ifMatch);
  if (expected === "never") throw staleRevision(spec.kind, id);
  const deleted = await storeWrite(spec.kind, id, spec.idParam, () => store.delete(id, expected));
  if (!deleted) throw notFound(spec.kind, id, spec.idParam);
}
