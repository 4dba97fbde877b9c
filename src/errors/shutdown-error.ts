/**
 * The server is shutting down (SIGTERM, PRODUCT.md §7 "graceful shutdown"): new responses are
 * refused with 503, and streams still running at the deadline end with `response.failed`.
 */
export class ShutdownError extends Error {
  constructor() {
    super("The server is shutting down; retry the request.");
    this.name = "ShutdownError";
  }
}
