import type { Logger } from "pino";
import type { ApiKeyRole } from "../config/patchbay-config.js";

/** Per-request values set by middleware (Hono context variables). */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    /** The caller's role; `admin` when no keys are configured (loopback-only mode, PRODUCT.md §8.3). */
    role: ApiKeyRole;
  };
}
