/**
 * The CLI's three failure kinds, one per exit code (issue 6 item 4): a usage error is the caller's
 * fault before any request (2), an API error is the server's answer (1), an unreachable server is
 * neither (3). `runCli` is the only place that turns them into text and an exit code.
 */

/** Bad flags, arguments or input files: exit code 2, nothing was sent. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** The command whose usage to point at (`connectors create`), when known. */
  readonly command: string | null;

  constructor(message: string, options: { command?: string | null; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.command = options.command ?? null;
  }
}

/** A non-2xx answer (or an unreadable one) from Patchbay: exit code 1. */
export class ApiRequestError extends Error {
  override readonly name = "ApiRequestError";
  readonly status: number;
  readonly code: string | null;

  constructor(message: string, status: number, code: string | null) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** No HTTP answer at all (refused, DNS, reset): exit code 3. */
export class ServerUnreachableError extends Error {
  override readonly name = "ServerUnreachableError";

  constructor(url: string, cause: unknown) {
    super(`cannot reach Patchbay at ${url}: ${describeCause(cause)}`, { cause });
  }
}

/** Exit codes of `patchbay` (issue 6 item 4). */
export const EXIT_OK = 0;
export const EXIT_API_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_UNREACHABLE = 3;

/** fetch wraps the socket error (`ECONNREFUSED`) in `cause`; that is the useful part. */
function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner: unknown = cause.cause;
  if (inner instanceof Error) {
    const code = "code" in inner && typeof inner.code === "string" ? inner.code : null;
    return code && !inner.message.includes(code) ? `${code} ${inner.message}` : inner.message;
  }
  return cause.message;
}
