import { z } from "zod";
import type { McpToolDescriptor } from "./mcp-client.js";
import type { McpParamDeclaration } from "./mcp-param-headers.js";

/** One `tools/list` page, read loosely: only the fields Patchbay uses (STYLE.md "tolerant of others"). */
export const ToolsPageSchema = z.looseObject({
  tools: z.array(z.unknown()).catch([]),
  nextCursor: z.string().nullish().catch(null),
  /** How long the listing may be reused, in ms (2026-07-28 `CacheableResult`); absent before. */
  ttlMs: z.number().int().nonnegative().nullish().catch(null),
});

/** One server's tools and how long the server lets them be reused (null: it did not say). */
export interface McpToolListing {
  tools: McpToolDescriptor[];
  ttlMs: number | null;
  /** The tools whose arguments go out as `Mcp-Param-*` headers too (2026-07-28, SEP-2243). */
  paramHeaders: ReadonlyMap<string, readonly McpParamDeclaration[]>;
}

const ToolSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().nullish().catch(null),
  inputSchema: z.record(z.string(), z.unknown()).nullish().catch(null),
  outputSchema: z.record(z.string(), z.unknown()).nullish().catch(null),
  annotations: z
    .looseObject({ readOnlyHint: z.boolean().nullish().catch(null) })
    .nullish()
    .catch(null),
});

const EMPTY_INPUT_SCHEMA: Record<string, unknown> = { type: "object", properties: {} };

/**
 * Maps raw MCP tools to descriptors. A tool without a usable `name` is skipped rather than
 * failing the whole listing; `description`/`annotations` are null when absent (PRODUCT.md §8.12).
 */
export function toMcpToolDescriptors(rawTools: readonly unknown[]): McpToolDescriptor[] {
  const descriptors: McpToolDescriptor[] = [];
  for (const raw of rawTools) {
    const parsed = ToolSchema.safeParse(raw);
    if (!parsed.success) {
      continue;
    }
    const { name, description, inputSchema, outputSchema, annotations } = parsed.data;
    const readOnlyHint = annotations?.readOnlyHint;
    descriptors.push({
      name,
      description: description ?? null,
      inputSchema: inputSchema ?? { ...EMPTY_INPUT_SCHEMA },
      ...(outputSchema ? { outputSchema } : {}),
      annotations:
        annotations === null || annotations === undefined
          ? null
          : typeof readOnlyHint === "boolean"
            ? { readOnlyHint }
            : {},
    });
  }
  return descriptors;
}
