import { describe, expect, it } from "vitest";
import { formatRecord, formatTable } from "./format-table.js";

describe("formatTable", () => {
  const columns = [
    { header: "ID", value: (row: { id: string; url: string | null }) => row.id },
    { header: "URL", value: (row: { id: string; url: string | null }) => row.url },
  ];

  it("pads every column but the last to its widest cell; null shows as -", () => {
    const text = formatTable(columns, [
      { id: "a-long-id", url: "http://x" },
      { id: "b", url: null },
    ]);
    expect(text).toBe("ID         URL\na-long-id  http://x\nb          -\n");
  });

  it("prints just the header for no rows and keeps each row on one line", () => {
    expect(formatTable(columns, [])).toBe("ID  URL\n");
    expect(formatTable(columns, [{ id: "a", url: "line one\n  line two" }])).toBe(
      "ID  URL\na   line one line two\n",
    );
  });
});

describe("formatRecord", () => {
  it("aligns values and prints nested ones as compact JSON", () => {
    expect(formatRecord({ id: "c", headers: { A: "<redacted>" }, timeout_ms: null })).toBe(
      'id          c\nheaders     {"A":"<redacted>"}\ntimeout_ms  -\n',
    );
  });
});
