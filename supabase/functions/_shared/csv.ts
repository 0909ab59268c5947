/**
 * RFC 4180 CSV, both ways. (csv-parse and csv-stringify were tried: their types pull Node's
 * stream types into every program the repository's `deno check` builds, which breaks the Web
 * Crypto types others use; the format is small enough to own.)
 */

/** A malformed file, naming the line where it goes wrong (1-based, as an editor counts). */
export class CsvError extends Error {
  constructor(readonly line: number, readonly problem: string) {
    super(`line ${line}: ${problem}`);
  }
}

/** An unquoted field: everything up to the next comma, line end or (refused) quote. */
const UNQUOTED_FIELD = /[^,\r\n"]*/y;

/** The records of `text`, each with the line it starts on. Quoted fields may span lines. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let line = 1;
  let i = 0;
  while (i < body.length) {
    const start = line;
    const fields: string[] = [];
    while (true) {
      let field = "";
      if (body[i] === '"') {
        i++;
        while (true) {
          if (i >= body.length) throw new CsvError(start, "a quoted field is never closed");
          if (body[i] === '"') {
            if (body[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          // Up to the next quote in one slice, counting the line ends it spans.
          const quote = body.indexOf('"', i);
          const end = quote === -1 ? body.length : quote;
          const chunk = body.slice(i, end);
          for (let n = chunk.indexOf("\n"); n !== -1; n = chunk.indexOf("\n", n + 1)) line++;
          field += chunk;
          i = end;
        }
        if (i < body.length && body[i] !== "," && body[i] !== "\n" && body[i] !== "\r") {
          throw new CsvError(line, "text after a closing quote");
        }
      } else {
        UNQUOTED_FIELD.lastIndex = i;
        UNQUOTED_FIELD.test(body);
        field = body.slice(i, UNQUOTED_FIELD.lastIndex);
        i = UNQUOTED_FIELD.lastIndex;
        if (body[i] === '"') throw new CsvError(line, "a quote inside an unquoted field");
      }
      fields.push(field);
      if (body[i] === ",") {
        i++;
        continue;
      }
      if (body[i] === "\r") i++;
      if (body[i] === "\n") i++;
      line++;
      break;
    }
    if (!(fields.length === 1 && fields[0] === "")) records.push({ line: start, fields });
  }
  return records;
}

/**
 * A spreadsheet reads a cell that starts with = + - @ tab or CR as a formula (OWASP "CSV
 * Injection"): such a cell gets a leading single quote, which spreadsheets take as "text" and
 * hide. Quotes already leading such a cell get one more, so restoreFormulaCell undoes exactly
 * this and nothing else ("'hello" stays as it is both ways).
 */
const FORMULA_CELL = /^'*[=+\-@\t\r]/;

export function neutraliseFormulaCell(text: string): string {
  return FORMULA_CELL.test(text) ? `'${text}` : text;
}

/** The text neutraliseFormulaCell was given (for importing our own export). */
export function restoreFormulaCell(text: string): string {
  return text.startsWith("'") && FORMULA_CELL.test(text.slice(1)) ? text.slice(1) : text;
}

/**
 * Header and rows as CSV: text that a spreadsheet would run as a formula neutralised and quoted,
 * other fields quoted only when they must be, "\n" between records.
 */
export function stringifyCsv(
  header: readonly string[],
  rows: (string | number | boolean | null)[][],
): string {
  const cell = (value: string | number | boolean | null) => {
    if (value === null) return "";
    if (typeof value === "string" && FORMULA_CELL.test(value)) {
      return `"${neutraliseFormulaCell(value).replaceAll('"', '""')}"`;
    }
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\n") + "\n";
}
