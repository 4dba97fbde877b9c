import { z } from "zod";
import type { McpCallOutcome } from "./mcp-client.js";

/** A `tools/call` result, read loosely (MCP payloads are "the world is sloppy" territory). */
export const CallToolResultSchema = z.looseObject({
  content: z.array(z.unknown()).nullish().catch(null),
  structuredContent: z.unknown().optional(),
  isError: z.boolean().nullish().catch(null),
});
export type CallToolResult = z.infer<typeof CallToolResultSchema>;

const TextPartSchema = z.looseObject({ type: z.literal("text"), text: z.string() });

/**
 * Turns a tool result into the `mcp_call` outcome (reference §2.2): `isError` → a
 * `mcp_tool_execution_error` carrying the content as sent; otherwise the output string the model
 * reads: texts joined with "\n" when every part is text, else the content as JSON, else the
 * `structuredContent` as JSON.
 */
export function toMcpCallOutcome(result: CallToolResult): McpCallOutcome {
  const content = result.content ?? [];
  if (result.isError === true) {
    return { ok: false, error: { type: "mcp_tool_execution_error", content } };
  }
  if (content.length === 0) {
    const structured = result.structuredContent;
    return {
      ok: true,
      output: structured === undefined || structured === null ? "" : JSON.stringify(structured),
    };
  }
  const texts: string[] = [];
  for (const part of content) {
    const text = TextPartSchema.safeParse(part);
    if (!text.success) {
      return { ok: true, output: JSON.stringify(content) };
    }
    texts.push(text.data.text);
  }
  return { ok: true, output: texts.join("\n") };
}
