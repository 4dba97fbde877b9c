/**
 * Where a command's result goes: raw JSON with `--json` (the server's body, pretty-printed, for
 * scripts and `jq`), a table otherwise. Commands call these and never write to a stream directly.
 */
import { formatRecord, formatTable, type TableColumn } from "./format-table.js";

/** A writable text stream (`process.stdout` or a test double); `isTTY` selects progress output. */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** The result printer a command receives. */
export class Output {
  constructor(
    readonly stdout: TextSink,
    readonly stderr: TextSink,
    readonly json: boolean,
  ) {}

  /** `--json`: the body as received; otherwise the table. */
  list<Row>(body: unknown, columns: ReadonlyArray<TableColumn<Row>>, rows: readonly Row[]): void {
    this.stdout.write(this.json ? toJson(body) : formatTable(columns, rows));
  }

  /** `--json`: the body as received; otherwise one line per field, then `extra` (the ETag). */
  record(
    body: Readonly<Record<string, unknown>>,
    extra: Readonly<Record<string, unknown>> = {},
  ): void {
    this.stdout.write(this.json ? toJson(body) : formatRecord({ ...body, ...extra }));
  }

  /** `--json`: the body as received; otherwise the given line. */
  message(body: unknown, text: string): void {
    this.stdout.write(this.json ? toJson(body) : `${text}\n`);
  }
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
