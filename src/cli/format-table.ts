/**
 * Plain-text tables for the CLI's default output: a header row, columns padded to their widest
 * cell, two spaces between columns, the last column unpadded. `null`/`undefined` show as `-`;
 * newlines inside a cell are folded so every row stays one line (grep- and awk-friendly).
 */

/** One column: the header text and how to read its cell from a row. */
export interface TableColumn<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
}

/** Renders rows as a table (ends with a newline; just the header row when there are none). */
export function formatTable<Row>(
  columns: ReadonlyArray<TableColumn<Row>>,
  rows: readonly Row[],
): string {
  const cells = [
    columns.map((column) => column.header),
    ...rows.map((row) => columns.map((column) => toCell(column.value(row)))),
  ];
  const widths = columns.map((_, index) =>
    Math.max(...cells.map((line) => (line[index] ?? "").length)),
  );
  return cells
    .map((line) =>
      line
        .map((cell, index) => (index === line.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}

/**
 * Renders one object field by field (`get`, `create`, `update`): the key, then the value; nested
 * values as compact JSON.
 */
export function formatRecord(record: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(record);
  const width = Math.max(0, ...entries.map(([key]) => key.length));
  return entries
    .map(([key, value]) => `${key.padEnd(width)}  ${toCell(value)}`.trimEnd() + "\n")
    .join("");
}

function toCell(value: unknown): string {
  if (value === null || value === undefined) return "-";
  const text =
    typeof value === "string"
      ? value
      : typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : JSON.stringify(value);
  return text.replace(/\s*\n\s*/g, " ");
}
