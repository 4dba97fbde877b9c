/**
 * Sorts a failure from the PostgreSQL driver into what the adapter does with it (issue 13 §6):
 * `lost` (the connection died, so an open transaction was rolled back and one retry on a fresh
 * connection is safe), `unavailable` (the database cannot be reached or did not answer in time:
 * 503), or `statement` (the database refused one statement: a bug or bad data, 500).
 */
export type PostgresFailureKind = "lost" | "unavailable" | "statement";

export interface PostgresFailure {
  kind: PostgresFailureKind;
  /** SQLSTATE or Node error code when there is one (`57P01`, `ECONNREFUSED`). */
  code: string | null;
  /** The driver's message: never holds the password (it is only sent inside the auth exchange). */
  reason: string;
}

/** The connection is gone; the server rolled back whatever it had not committed. */
const LOST_NODE_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);
const LOST_MESSAGES = [
  "Connection terminated unexpectedly",
  "Connection terminated",
  "Client has encountered a connection error and is not queryable",
];
/**
 * 08: connection exception; 57P01/57P02: the server ended the session (pg_terminate_backend, a
 * shutdown); 40001/40P01: the server aborted the transaction (serialization failure, deadlock).
 */
const LOST_STATES = new Set(["57P01", "57P02", "40001", "40P01"]);

const UNAVAILABLE_NODE_CODES = new Set([
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
const UNAVAILABLE_MESSAGES = [
  "timeout exceeded when trying to connect",
  "Connection terminated due to connection timeout",
  "Query read timeout",
  "Cannot use a pool after calling end on the pool",
  "The server does not support SSL connections",
];
/**
 * 53: insufficient resources (too many connections, disk full); 57014: statement timeout or
 * cancel; 57P03: the server is starting up or shutting down; 28: authentication; 3D000: no such
 * database; 55P03: lock not available.
 */
const UNAVAILABLE_STATE_CLASSES = ["53", "28"];
const UNAVAILABLE_STATES = new Set(["57014", "57P03", "3D000", "55P03"]);

export function classifyPostgresFailure(error: unknown): PostgresFailure {
  const reason = error instanceof Error ? error.message : String(error);
  const code = codeOf(error);
  const kind = kindOf(code, reason, error);
  return { kind, code, reason };
}

function kindOf(code: string | null, reason: string, error: unknown): PostgresFailureKind {
  if (code !== null) {
    if (LOST_NODE_CODES.has(code) || LOST_STATES.has(code) || code.startsWith("08")) return "lost";
    if (
      UNAVAILABLE_NODE_CODES.has(code) ||
      UNAVAILABLE_STATES.has(code) ||
      UNAVAILABLE_STATE_CLASSES.some((prefix) => code.startsWith(prefix))
    ) {
      return "unavailable";
    }
  }
  if (UNAVAILABLE_MESSAGES.some((message) => reason.startsWith(message))) return "unavailable";
  if (LOST_MESSAGES.some((message) => reason.startsWith(message))) return "lost";
  // A TLS handshake failure (bad certificate, wrong host name) also leaves nothing to query.
  if (error instanceof Error && /certificate|SSL|TLS/i.test(reason) && code !== null) {
    return "unavailable";
  }
  return "statement";
}

function codeOf(error: unknown): string | null {
  if (typeof error !== "object" || error === null || !("code" in error)) return null;
  const code: unknown = error.code;
  return typeof code === "string" && code !== "" ? code : null;
}
