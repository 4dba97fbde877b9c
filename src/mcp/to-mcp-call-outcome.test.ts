import { describe, expect, it } from "vitest";
import { toMcpCallOutcome } from "./to-mcp-call-outcome.js";

describe("toMcpCallOutcome", () => {
  it("renders every content kind as one line of text", () => {
    const outcome = toMcpCallOutcome({
      content: [
        { type: "text", text: "Here you are" },
        { type: "image", data: "iVBORw0KGgo=", mimeType: "image/png" },
        { type: "audio", data: "UklGRg==", mimeType: "audio/wav" },
        { type: "resource_link", uri: "file:///report.pdf", name: "report.pdf" },
        { type: "resource", resource: { uri: "file:///notes.txt", text: "Some notes" } },
        {
          type: "resource",
          resource: { uri: "file:///a.bin", mimeType: "application/zip", blob: "UEs=" },
        },
        { type: "hologram", depth: 3 },
      ],
    });
    expect(outcome).toEqual({
      ok: true,
      output: [
        "Here you are",
        "[image: image/png]",
        "[audio: audio/wav]",
        "[resource: report.pdf <file:///report.pdf>]",
        "Some notes",
        "[resource: file:///a.bin (application/zip)]",
        '{"type":"hologram","depth":3}',
      ].join("\n"),
    });
  });

  it("prefers the text parts over structuredContent, which stands in when there are none", () => {
    const structuredContent = { city: "Oslo" };
    expect(
      toMcpCallOutcome({ content: [{ type: "text", text: "Oslo" }], structuredContent }),
    ).toEqual({ ok: true, output: "Oslo" });
    expect(toMcpCallOutcome({ content: [], structuredContent })).toEqual({
      ok: true,
      output: '{"city":"Oslo"}',
    });
    expect(toMcpCallOutcome({ content: null })).toEqual({ ok: true, output: "" });
  });

  it("keeps a failed call's content as sent", () => {
    const content = [{ type: "image", data: "x", mimeType: "image/png" }];
    expect(toMcpCallOutcome({ content, isError: true })).toEqual({
      ok: false,
      error: { type: "mcp_tool_execution_error", content },
    });
  });
});
