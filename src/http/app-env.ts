import type { Logger } from "pino";
import type { ApiKeyRole } from "../config/patchbay-config.js";
import type { Principal } from "../responses/principal.js";

/** Per-request values set by middleware (Hono context variables). */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    /** The caller's role; `admin` when no keys are configured (loopback-only mode, PRODUCT.md §8.3). */
    role: ApiKeyRole;
    /** Who is asking (PRODUCT.md §9.3), set by `authenticate`. */
    principal: Principal;
    /** The key may name the end user per request (`may_act_for_users`, or no keys at all). */
    actsForUsers: boolean;
  };
}
