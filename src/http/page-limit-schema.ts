import { z } from "zod";

/**
 * OpenAI list paging `limit` (1–100, default 20) from a query string: plain decimal digits only, so
 * `0x10`, `1e1` or `-0` are 400s rather than numbers JavaScript happens to accept.
 */
export const PageLimitSchema = z
  .string()
  .regex(/^\d{1,3}$/, "must be a whole number from 1 to 100")
  .transform(Number)
  .pipe(z.int().min(1).max(100))
  .default(20);
