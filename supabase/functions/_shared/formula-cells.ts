/**
 * A spreadsheet reads a cell that starts with = + - @ tab or CR as a formula (OWASP "CSV
 * Injection"): such a cell gets a leading single quote, which spreadsheets take as "text" and
 * hide. Quotes already leading such a cell get one more, so restoreFormulaCell undoes exactly
 * this and nothing else ("'hello" stays as it is both ways).
 */
const FORMULA_CELL = /^'*[=+\-@\t\r]/;

/** A cell that neutraliseFormulaCell changed: always quoted in the export. */
export const NEUTRALISED_CELL = /^'+[=+\-@\t\r]/;

export function neutraliseFormulaCell(text: string): string {
  return FORMULA_CELL.test(text) ? `'${text}` : text;
}

/** The text neutraliseFormulaCell was given (for importing our own export). */
export function restoreFormulaCell(text: string): string {
  return text.startsWith("'") && FORMULA_CELL.test(text.slice(1)) ? text.slice(1) : text;
}
