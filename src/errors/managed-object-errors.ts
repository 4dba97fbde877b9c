/**
 * The management API's write errors (PRODUCT.md §8.10), shared by connectors and registries:
 * config objects are read-only (409 naming run.yaml), ids are unique across sources (409), a stale
 * `If-Match` is a 412, the reserved `mcp::a::b` form is a 400.
 */
import { ApiError, notFound } from "./api-error.js";

export type ManagedKind = "Connector" | "MCP registry";

export function readOnly(kind: ManagedKind, id: string, param: string): ApiError {
  return new ApiError({
    status: 409,
    type: "invalid_request_error",
    code: "read_only",
    param,
    message: `${kind} '${id}' is defined in run.yaml and cannot be changed through the API; edit the config file instead.`,
  });
}

export function alreadyExists(kind: ManagedKind, id: string, param: string): ApiError {
  return new ApiError({
    status: 409,
    type: "invalid_request_error",
    code: "already_exists",
    param,
    message: `${kind} '${id}' already exists.`,
  });
}

export function staleRevision(kind: ManagedKind, id: string): ApiError {
  return new ApiError({
    status: 412,
    type: "invalid_request_error",
    code: "precondition_failed",
    param: "If-Match",
    message: `${kind} '${id}' has changed since it was read: fetch it again and retry with its new ETag.`,
  });
}

/** Maps the store's domain errors for one object to the API's. */
export async function storeWrite<T>(
  kind: ManagedKind,
  id: string,
  param: string,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof DuplicateIdError) throw alreadyExists(kind, id, param);
    if (error instanceof RevisionMismatchError) throw staleRevision(kind, id);
    throw error;
  }
}

/** `If-Match`: `*`, or one ETag of the form `"r<revision>"` (weak or strong); anything else never matches. */
export function expectedRevision(ifMatch: string | undefined): number | undefined | "never" {
  if (ifMatch === undefined || ifMatch.trim() === "*") return undefined;
  const match = /^\s*(?:W\/)?"r(\d{1,15})"\s*$/.exec(ifMatch);
  return match?.[1] ? Number(match[1]) : "never";
}

export function etag(revision: number | "config"): string {
  return revision === "config" ? '"config"' : `"r${revision}"`;
}

export { notFound };

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
