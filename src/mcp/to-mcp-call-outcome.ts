import { z } from "zod";
import type { McpCallOutcome } from "./mcp-client.js";

/** A `tools/call` result, read loosely (MCP payloads are "the world is sloppy" territory). */
export const CallToolResultSchema = z.looseObject({
  content: z.array(z.unknown()).nullish().catch(null),
  structuredContent: z.unknown().optional(),
  isError: z.boolean().nullish().catch(null),
});
export type CallToolResult = z.infer<typeof CallToolResultSchema>;

const ContentPartSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text"), text: z.string() }),
  z.looseObject({ type: z.literal("image"), mimeType: z.string().nullish() }),
  z.looseObject({ type: z.literal("audio"), mimeType: z.string().nullish() }),
  z.looseObject({
    type: z.literal("resource_link"),
    uri: z.string(),
    name: z.string().nullish(),
  }),
  z.looseObject({
    type: z.literal("resource"),
    resource: z.looseObject({
      uri: z.string(),
      mimeType: z.string().nullish(),
      text: z.string().nullish(),
    }),
  }),
]);

/**
 * Turns a tool result into the `mcp_call` outcome (reference §2.2): `isError` → a
 * `mcp_tool_execution_error` carrying the content as sent; otherwise the text the model reads,
 * one line per content part (MCP 2025-11-25 "Tool Result"; OpenAI returns the text of the
 * content): text as is, an embedded text resource's text, `[image: image/png]` and
 * `[audio: audio/wav]` for media (their base64 data is not text), `[resource: name <uri>]` for a
 * resource link or binary resource, and any other part as JSON. No content: the
 * `structuredContent` as JSON (servers should mirror it in a text part; when they do, that wins).
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
  return { ok: true, output: content.map(renderPart).join("\n") };
}

function renderPart(part: unknown): string {
  const parsed = ContentPartSchema.safeParse(part);
  if (!parsed.success) return JSON.stringify(part);
  const known = parsed.data;
  switch (known.type) {
    case "text":
      return known.text;
    case "image":
    case "audio":
      return `[${known.type}: ${known.mimeType ?? "unknown type"}]`;
    case "resource_link":
      return `[resource: ${known.name ?? known.uri} <${known.uri}>]`;
    case "resource": {
      const { uri, mimeType, text } = known.resource;
      if (typeof text === "string") return text;
      return `[resource: ${uri}${mimeType ? ` (${mimeType})` : ""}]`;
    }
  }
}
