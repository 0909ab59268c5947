/**
 * CSV import with csv-parse: RFC 4180, quoted fields may span lines, "\r\n", "\n" or "\r" end a
 * record (mixed in one file too), a leading BOM is dropped. Each record comes with the line it
 * starts on and a malformed file names the line where it goes wrong, as an editor counts them
 * (1-based; "\r\n", "\n" or a lone "\r" ends a line): csv-parse reports how many bytes each
 * record took, and the lines are counted in those bytes, in one pass over the file.
 */
// @ts-types="./csv-parse-sync.d.ts"
import { parse } from "csv-parse/sync";
// Also imported plainly, so that a deploy (which follows imports only) carries the types.
import type {} from "./csv-parse-sync.d.ts";

/** A malformed file, naming the line where it goes wrong (1-based, as an editor counts). */
export class CsvError extends Error {
  constructor(readonly line: number, readonly problem: string) {
    super(`line ${line}: ${problem}`);
  }
}

/** csv-parse's codes for a malformed file, as the import words them. */
const PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "a quoted field is never closed",
  CSV_INVALID_CLOSING_QUOTE: "text after a closing quote",
  INVALID_OPENING_QUOTE: "a quote inside an unquoted field",
};

const LF = 0x0a;
const CR = 0x0d;

/** Line breaks as an editor counts them: "\r\n", "\n" and a lone "\r" each end a line. */
function isLineEnd(bytes: ArrayLike<number>, i: number): boolean {
  return bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] !== LF);
}

/** The line of each byte offset of `bytes`, for offsets asked in increasing order. */
function lineCounter(bytes: Uint8Array): (offset: number) => number {
  let line = 1;
  let counted = 0;
  return (offset) => {
    for (; counted < offset && counted < bytes.length; counted++) if (isLineEnd(bytes, counted)) line++;
    return line;
  };
}

/** The records of `text`, each with the line it starts on. Quoted fields may span lines. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const bytes = new TextEncoder().encode(text);
  const lineAt = lineCounter(bytes);
  const records: { line: number; fields: string[] }[] = [];
  // Where the previous record ended (csv-parse counts its bytes, record delimiter included).
  let previousEnd = 0;
  /** The line the next record starts on: past the previous one and any empty lines. */
  const nextStart = () => {
    let offset = previousEnd;
    while (offset < bytes.length && (bytes[offset] === LF || bytes[offset] === CR)) offset++;
    return lineAt(offset);
  };
  try {
    parse(bytes, {
      bom: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      on_record: ({ record: fields }, context) => {
        const line = nextStart();
        // A line holding one empty field ("" too) is as good as an empty line.
        if (!(fields.length === 1 && fields[0] === "")) records.push({ line, fields });
        previousEnd = context.bytes;
        return null;
      },
    });
  } catch (error) {
    // csv-parse's CsvError: its code, and the record read up to where it stopped.
    const { code, raw } = error as { code?: string; raw?: string };
    if (code === undefined || raw === undefined) throw error;
    const start = nextStart();
    if (code === "CSV_QUOTE_NOT_CLOSED") throw new CsvError(start, PROBLEMS[code]!);
    const read = new TextEncoder().encode(raw.replace(/^[\r\n]+/, ""));
    throw new CsvError(
      lineCounter(read)(read.length) + start - 1,
      PROBLEMS[code] ?? (error as Error).message,
    );
  }
  return records;
}
